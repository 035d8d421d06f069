import { type Role, roles } from '../../api/types';

const described: Record<Role, string> = {
  admin: 'admin — everything',
  marketer: 'marketer — sources, events, profiles, audiences',
  sales: 'sales — contacts, companies, deals',
  support: 'support — tickets and their contacts',
  advertiser: 'advertiser — segments and reach, no personal data',
  analyst: 'analyst — read-only aggregates and reports',
};

export function RoleSelect({ value, onChange }: { value: Role; onChange: (role: Role) => void }) {
  return (
    <label className="field">
      <span>Role</span>
      <select
        value={value}
        onChange={(event) => {
          const role = roles.find((r) => r === event.target.value);
          if (role) onChange(role);
        }}
      >
        {roles.map((role) => (
          <option key={role} value={role}>
            {described[role]}
          </option>
        ))}
      </select>
    </label>
  );
}
