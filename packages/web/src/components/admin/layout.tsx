/** Layout pieces of the administration screens: section navigation, status badges, paging, tables that scroll on a phone. */
import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import './admin.css';

/** Tabs between the sections of one screen, as links (each section has its own address). */
export function SubNav({ label, links }: { label: string; links: { to: string; label: string; end?: boolean; active?: boolean }[] }) {
  return (
    <nav className="subnav" aria-label={label}>
      {links.map((link) => (
        <NavLink
          key={link.to}
          to={link.to}
          end={link.end}
          className={({ isActive }) => ((link.active ?? isActive) ? 'active' : '')}
          aria-current={link.active === false ? false : 'page'}
        >
          {link.label}
        </NavLink>
      ))}
    </nav>
  );
}

const TONE: Record<string, string> = {
  active: 'ok',
  online: 'ok',
  current: 'ok',
  enabled: 'ok',
  intact: 'ok',
  suspended: 'warn',
  degraded: 'warn',
  unknown: 'muted',
  disabled: 'muted',
  expired: 'warn',
  lost: 'danger',
  stolen: 'danger',
  revoked: 'danger',
  terminated: 'danger',
  offline: 'danger',
  broken: 'danger',
};

/** A state as a word in a coloured pill; the word carries the meaning, the colour only helps. */
export function Badge({ value, label, tone }: { value: string; label?: string; tone?: 'ok' | 'warn' | 'danger' | 'muted' }) {
  return <span className={`badge ${tone ?? TONE[value] ?? 'muted'}`}>{label ?? value.replace(/_/g, ' ')}</span>;
}

/** "Load more" for a cursor-paginated list (from `usePaged`); says how many are shown (`noun` in the plural) and whether there are more. */
export function LoadMore({
  list,
  noun,
}: {
  list: { items: readonly unknown[]; hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };
  noun: string;
}) {
  const shown = list.items.length;
  return (
    <div className="load-more">
      <span className="muted" role="status">
        {shown} {shown === 1 ? noun.replace(/s$/, '') : noun}
        {list.hasNextPage ? ' shown, more available' : ''}
      </span>
      {list.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}

/** Change and delete buttons for a row, named after the row's item for screen readers. */
export function RowActions({
  name,
  onChange,
  onDelete,
  deleteLabel = 'Delete',
}: {
  name: string;
  onChange?: () => void;
  onDelete?: () => void;
  deleteLabel?: string;
}) {
  return (
    <div className="row-actions">
      {onChange && (
        <button type="button" className="secondary" onClick={onChange} aria-label={`Change ${name}`}>
          Change
        </button>
      )}
      {onDelete && (
        <button type="button" className="secondary" onClick={onDelete} aria-label={`${deleteLabel} ${name}`}>
          {deleteLabel}
        </button>
      )}
    </div>
  );
}

/** A table that scrolls sideways inside its box on a narrow screen instead of widening the page, or stacks its rows. */
export function TableScroll({ label, stackOnPhone, children }: { label: string; stackOnPhone?: boolean; children: ReactNode }) {
  // stackOnPhone: on a narrow screen each row becomes a card of "label: value" lines (cells carry data-label).
  return (
    <div className={stackOnPhone ? 'table-scroll stack-on-phone' : 'table-scroll'} role="region" aria-label={label} tabIndex={0}>
      <table>{children}</table>
    </div>
  );
}

/** A table body: a row per item, or one row saying there is nothing to list (or that it is still loading). */
export function TableRows<T>({
  items,
  columns,
  loading,
  empty,
  children,
}: {
  items: readonly T[];
  columns: number;
  loading?: boolean;
  empty: ReactNode;
  children: (item: T) => ReactNode;
}) {
  if (items.length === 0) {
    return (
      <EmptyRow columns={columns} loading={loading}>
        {empty}
      </EmptyRow>
    );
  }
  return <>{items.map(children)}</>;
}

/** The row a table shows when it has nothing to list (or is still loading). */
export function EmptyRow({ columns, loading, children }: { columns: number; loading?: boolean; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="muted">
        {loading ? 'Loading…' : children}
      </td>
    </tr>
  );
}

/** A heading with the actions that belong to it, on one line (wrapping on a phone). */
export function SectionHeader({ title, level = 2, id, children }: { title: string; level?: 1 | 2 | 3; id?: string; children?: ReactNode }) {
  const Heading = `h${level}` as const;
  return (
    <div className="section-header">
      <Heading id={id}>{title}</Heading>
      {children && <div className="actions">{children}</div>}
    </div>
  );
}
