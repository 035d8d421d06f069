import { BarFigure } from '../../components/BarFigure';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { usePredictions } from './insights.api';

const auc = (v: number) => v.toFixed(3);

/** Prediction models and their quality: holdout AUC beside the baseline's, per model. */
export function PredictionsPage() {
  const models = usePredictions();
  const list = models.data?.data ?? [];
  const measured = list.filter((m) => m.metrics?.auc != null);
  const name = (m: (typeof list)[number]) => `${m.kind} ${m.windowDays}d`;
  return (
    <div className="stack">
      <PageHeader
        title="Prediction quality"
        description="Area under the ROC curve on the holdout (0.5 is a coin toss, 1 is perfect), beside the baseline model's."
      />
      <ErrorNote error={models.error} />
      {models.data && list.length === 0 ? <p className="notice">No prediction model yet.</p> : null}
      {measured.length > 0 ? (
        <section className="card stack" aria-labelledby="auc-title">
          <h2 id="auc-title">AUC against the baseline</h2>
          <BarFigure
            label="AUC against the baseline"
            rows={measured.map((m) => ({
              name: name(m),
              auc: m.metrics?.auc ?? null,
              baseline: m.metrics?.baselineAuc ?? null,
            }))}
            series={[
              { key: 'auc', label: 'model' },
              { key: 'baseline', label: 'baseline' },
            ]}
            format={auc}
          />
        </section>
      ) : null}
      {list.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Prediction models</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Trait</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  AUC
                </th>
                <th scope="col" className="num">
                  Baseline AUC
                </th>
                <th scope="col" className="num">
                  Holdout
                </th>
                <th scope="col">Trained</th>
              </tr>
            </thead>
            <tbody>
              {list.map((m) => (
                <tr key={m.id}>
                  <td>{name(m)}</td>
                  <td>
                    <code>{m.traitKey}</code>
                  </td>
                  <td>{m.lastError ? `${m.status}: ${m.lastError}` : m.status}</td>
                  <td className="num">{m.metrics?.auc != null ? auc(m.metrics.auc) : '—'}</td>
                  <td className="num">
                    {m.metrics?.baselineAuc != null ? auc(m.metrics.baselineAuc) : '—'}
                  </td>
                  <td className="num">{m.metrics?.holdoutExamples ?? '—'}</td>
                  <td>{m.trainedAt ? formatTime(m.trainedAt) : 'not yet'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
