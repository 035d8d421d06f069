import type { CSSProperties } from 'react';
import type { MergeEntry, Profile } from './profiles.api';

interface Node {
  key: string;
  kind: 'identifier' | 'profile';
  label: string;
  detail: string;
}

/**
 * The identity graph of one profile drawn as a radial graph: the profile in the centre, its
 * identifiers on the inner ring and the profiles merged into it on the outer ring, each joined
 * to the centre by an edge. Positions are computed here and drawn by CSS (no graph library is
 * installed); on a narrow screen the same nodes fall back to a list.
 */
export function IdentityGraph({
  profile,
  merges,
  selected,
  onSelect,
}: {
  profile: Profile;
  merges: MergeEntry[];
  selected: string | undefined;
  onSelect: (mergeId: string | undefined) => void;
}) {
  const identifiers: Node[] = profile.identifiers.map((id) => ({
    key: `${id.type}:${id.value}`,
    kind: 'identifier',
    label: id.value,
    detail: id.type,
  }));
  const inForce = merges.filter((m) => m.kind === 'merge' && m.reversedBy === null);
  const merged: Node[] = inForce.map((m) => ({
    key: m.id,
    kind: 'profile',
    label: m.otherProfileId ?? 'profile',
    detail: `merged ${m.reason.linking?.length ? `via ${m.reason.linking.join(', ')}` : ''}`,
  }));
  const linkedBy = new Map<string, string[]>();
  for (const m of inForce) {
    for (const key of m.reason.absorbedIdentifiers ?? []) {
      linkedBy.set(key, [...(linkedBy.get(key) ?? []), m.id]);
    }
  }
  const place = (nodes: Node[], radius: number, offset: number) =>
    nodes.map((node, i) => ({
      node,
      angle: offset + (360 / Math.max(nodes.length, 1)) * i,
      radius,
    }));
  const placed = [...place(identifiers, 10, -90), ...place(merged, 15, -60)];

  return (
    <figure className="graph-figure" aria-label="Identity graph">
      <figcaption className="muted">
        {identifiers.length} identifier{identifiers.length === 1 ? '' : 's'}, {merged.length} merged
        profile{merged.length === 1 ? '' : 's'} in force
      </figcaption>
      <div className="graph" data-testid="identity-graph">
        {placed.map(({ node, angle, radius }) => (
          <span
            key={`edge-${node.key}`}
            aria-hidden="true"
            className={`graph-edge ${node.kind}`}
            style={{ '--a': `${angle}deg`, '--r': `${radius}rem` } as CSSProperties}
          />
        ))}
        <span className="graph-node center" title={profile.id}>
          <strong>Profile</strong>
          <code>{profile.id}</code>
        </span>
        <ul className="graph-nodes">
          {placed.map(({ node, angle, radius }) => {
            const owners = linkedBy.get(node.key) ?? [];
            const isSelected =
              node.kind === 'profile' ? selected === node.key : owners.includes(selected ?? '');
            return (
              <li
                key={node.key}
                className={`graph-node ${node.kind}${isSelected ? ' selected' : ''}`}
                style={{ '--a': `${angle}deg`, '--r': `${radius}rem` } as CSSProperties}
              >
                {node.kind === 'profile' ? (
                  <button
                    type="button"
                    className="link"
                    aria-pressed={isSelected}
                    onClick={() => onSelect(isSelected ? undefined : node.key)}
                    title={node.detail}
                  >
                    <span className="graph-kind">merged profile</span>
                    <code>{node.label}</code>
                  </button>
                ) : (
                  <>
                    <span className="graph-kind">{node.detail}</span>
                    <span className="graph-value">{node.label}</span>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </figure>
  );
}
