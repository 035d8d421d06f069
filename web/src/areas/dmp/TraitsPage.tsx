import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { useCursorStack } from '../events/useCursorStack';
import { type DmpTrait, useTraits } from './dmp.api';

function ruleText(trait: DmpTrait): string {
  if (!trait.rule) return trait.kind === 'onboarded' ? 'onboarded IDs' : '';
  const join = trait.rule.match === 'any' ? ' or ' : ' and ';
  const conditions = trait.rule.conditions
    .map((c) => `${c.key} ${c.op}${c.value === undefined ? '' : ` ${JSON.stringify(c.value)}`}`)
    .join(join);
  const f = trait.rule.frequency;
  const frequency = f
    ? `, at least ${f.min} times${f.withinDays ? ` within ${f.withinDays} days` : ''}`
    : '';
  return `${conditions}${frequency}`;
}

export function TraitsPage() {
  const paging = useCursorStack('traits');
  const traits = useTraits(paging.cursor);
  return (
    <div className="stack">
      <PageHeader
        title="Traits"
        description="Rules over pixel and server signals (or onboarded IDs) that segments combine."
      />
      <ErrorNote error={traits.error} />
      {traits.data && traits.data.data.length === 0 ? (
        <p className="notice">No traits yet.</p>
      ) : null}
      {traits.data && traits.data.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Traits</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">ID</th>
                <th scope="col">Kind</th>
                <th scope="col">Rule</th>
                <th scope="col" className="num">
                  TTL (days)
                </th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {traits.data.data.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>
                    <code>{t.id}</code>
                  </td>
                  <td>{t.kind}</td>
                  <td className="wrap-text">
                    <code>{ruleText(t)}</code>
                  </td>
                  <td className="num">{t.ttlDays}</td>
                  <td>{formatTime(t.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager
        label="Trait pages"
        page={paging.page}
        hasNext={Boolean(traits.data?.next)}
        onFirst={paging.first}
        onPrevious={paging.previous}
        onNext={() => {
          const next = traits.data?.next;
          if (next) paging.next(next);
        }}
      />
    </div>
  );
}
