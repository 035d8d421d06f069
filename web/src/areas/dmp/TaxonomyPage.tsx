import { type FormEvent, useMemo, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { PageHeader } from '../../components/PageHeader';
import { type TaxonomyNode, useTaxonomy, useTaxonomySearch } from './dmp.api';

/**
 * The IAB Audience Taxonomy 1.1 (and custom nodes) as an expandable tree, with a search that
 * lists matching nodes with their full path.
 */
export function TaxonomyPage() {
  const all = useTaxonomy();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const found = useTaxonomySearch(q);
  const children = useMemo(() => {
    const map = new Map<number | null, TaxonomyNode[]>();
    for (const node of all.data ?? []) {
      map.set(node.parentId, [...(map.get(node.parentId) ?? []), node]);
    }
    return map;
  }, [all.data]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQ(text.trim());
  };

  return (
    <div className="stack">
      <PageHeader
        title="Taxonomy"
        description="IAB Audience Taxonomy 1.1 nodes (sent as segtax 4) and custom nodes (from ID 1,000,000)."
      />
      <search aria-label="Search the taxonomy">
        <form className="card row wrap" onSubmit={submit}>
          <label className="field grow">
            <span>Search nodes</span>
            <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
          </label>
          <button type="submit" className="primary">
            Search
          </button>
          {q ? (
            <button
              type="button"
              onClick={() => {
                setText('');
                setQ('');
              }}
            >
              Show the tree
            </button>
          ) : null}
        </form>
      </search>
      <ErrorNote error={all.error ?? found.error} />
      {q ? (
        <section className="card stack" aria-label="Search results">
          {found.data && found.data.data.length === 0 ? (
            <p className="muted">No node matches “{q}”.</p>
          ) : null}
          <ul className="plain-list">
            {found.data?.data.map((node) => (
              <li key={node.id}>
                <code>{node.id}</code> <span>{node.path.join(' › ')}</span>
                {node.source === 'custom' ? <span className="badge">custom</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <section className="card" aria-label="Taxonomy tree">
          {all.isPending ? (
            <p className="muted" role="status">
              Loading the taxonomy…
            </p>
          ) : null}
          <Branch nodes={children.get(null) ?? []} childrenOf={children} />
        </section>
      )}
    </div>
  );
}

function Branch({
  nodes,
  childrenOf,
}: {
  nodes: TaxonomyNode[];
  childrenOf: Map<number | null, TaxonomyNode[]>;
}) {
  return (
    <ul className="tree">
      {nodes.map((node) => (
        <TreeNode key={node.id} node={node} childrenOf={childrenOf} />
      ))}
    </ul>
  );
}

function TreeNode({
  node,
  childrenOf,
}: {
  node: TaxonomyNode;
  childrenOf: Map<number | null, TaxonomyNode[]>;
}) {
  const [open, setOpen] = useState(false);
  const kids = childrenOf.get(node.id) ?? [];
  return (
    <li>
      {kids.length > 0 ? (
        <button
          type="button"
          className="tree-toggle"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {node.name}
        </button>
      ) : (
        <span className="tree-leaf">{node.name}</span>
      )}{' '}
      <code className="muted">{node.id}</code>
      {node.source === 'custom' ? <span className="badge">custom</span> : null}
      {open && kids.length > 0 ? <Branch nodes={kids} childrenOf={childrenOf} /> : null}
    </li>
  );
}
