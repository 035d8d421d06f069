import { describe, expect, it } from 'vitest';
import { htmlToText, mergeFields, renderTemplate } from './render.js';

describe('merge fields', () => {
  const values = {
    contact: { firstname: 'Ada', lastname: '<b>Lovelace</b>' },
    company: { name: 'Analytical & Co' },
  };

  it.each([
    ['Hi {{contact.firstname}}', false, 'Hi Ada'],
    ['Hi {{ contact.firstname | there }}', false, 'Hi Ada'],
    ['Hi {{contact.jobtitle|there}}!', false, 'Hi there!'],
    ['Hi {{contact.jobtitle}}!', false, 'Hi !'],
    ['About {{deal.dealname|your project}}', false, 'About your project'],
    ['{{company.name}}', false, 'Analytical & Co'],
    ['<p>{{company.name}}</p>', true, '<p>Analytical &amp; Co</p>'],
    ['<p>{{contact.lastname}}</p>', true, '<p>&lt;b&gt;Lovelace&lt;/b&gt;</p>'],
    ['<p>{{contact.x|<i>}}</p>', true, '<p>&lt;i&gt;</p>'],
    ['{{Contact.firstname}}', false, 'Ada'],
  ])('%s (html %s) renders %s', (text, html, expected) => {
    expect(renderTemplate(text, values, html)).toBe(expected);
  });

  it('lists the fields a text uses', () => {
    expect(mergeFields('{{contact.firstname|there}} at {{company.name}}')).toEqual([
      { scope: 'contact', property: 'firstname', fallback: 'there' },
      { scope: 'company', property: 'name', fallback: undefined },
    ]);
  });

  it('derives plain text from HTML', () => {
    expect(htmlToText('<p>Hello &amp; welcome</p><p>Line<br>two</p>')).toBe(
      'Hello & welcome\nLine\ntwo',
    );
  });
});
