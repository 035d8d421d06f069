// Builds the web console when it is missing or older than its sources (run by `npm start`).
