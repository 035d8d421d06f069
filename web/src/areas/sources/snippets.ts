export interface Snippet {
  id: string;
  label: string;
  language: string;
  code: string;
}

/**
 * Set-up code for the SDKs Triad speaks to, filled with this server's origin and the source's
 * write key. The browser snippet is Segment's standard analytics.js loader with `_cdn` pointed
 * at Triad, so the library, its settings and the events all stay on this origin.
 */
export function snippetsFor(origin: string, writeKey: string): Snippet[] {
  const key = JSON.stringify(writeKey);
  const host = JSON.stringify(origin);
  return [
    {
      id: 'analytics-js',
      label: 'Website (analytics.js)',
      language: 'html',
      code: `<script>
  !function(){var i="analytics",analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel='canonical']");n.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}analytics.load=function(key,n){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.setAttribute("data-global-segment-analytics-key",i);t.src=analytics._cdn+"/analytics.js/v1/"+key+"/analytics.min.js";var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r);analytics._loadOptions=n};analytics._writeKey=${key};analytics._cdn=${host};analytics.SNIPPET_VERSION="5.2.0";
  analytics.load(${key});
  analytics.page();
  }}();
</script>`,
    },
    {
      id: 'segment-node',
      label: 'Node.js (@segment/analytics-node)',
      language: 'javascript',
      code: `import { Analytics } from '@segment/analytics-node';

const analytics = new Analytics({
  writeKey: ${quote(writeKey)},
  host: ${quote(origin)},
});

analytics.track({ userId: 'user-1', event: 'Order Completed', properties: { total: 42 } });
await analytics.closeAndFlush();`,
    },
    {
      id: 'rudderstack-node',
      label: 'Node.js (@rudderstack/rudder-sdk-node)',
      language: 'javascript',
      code: `import Analytics from '@rudderstack/rudder-sdk-node';

const client = new Analytics(${quote(writeKey)}, {
  dataPlaneUrl: ${quote(origin)},
});

client.track({ userId: 'user-1', event: 'Order Completed', properties: { total: 42 } });
await client.flush();`,
    },
  ];
}

/** A single-quoted JavaScript string literal (the style of the Node snippets). */
function quote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
