import { RecordsTable } from './RecordsTable';

export const ContactsPage = () => <RecordsTable type="contacts" />;
export const CompaniesPage = () => <RecordsTable type="companies" />;
export const DealsPage = () => <RecordsTable type="deals" />;
export const TicketsPage = () => <RecordsTable type="tickets" />;
