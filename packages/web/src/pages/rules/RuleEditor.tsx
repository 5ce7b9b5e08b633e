/**
 * Writing a rule as YAML or JSON. JSON syntax is checked here; everything else (the schema, names
 * of doors and zones, loops between rules) is the server's, and its problems are listed path by
 * path. A change names the version it was based on, so two administrators cannot overwrite each
 * other unseen. Dry run and version history sit below the editor.
 */
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { ConfirmDialog } from '../../components/admin/dialogs.tsx';
import { EventTypePicker } from '../../components/admin/EventTypePicker.tsx';
import { AdminForm, Field } from '../../components/admin/forms.tsx';
import { useAction, useInvalidate } from '../../components/admin/hooks.ts';
import { Badge, SectionHeader } from '../../components/admin/layout.tsx';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { RuleDryRun } from './RuleDryRun.tsx';
import { RuleVersions } from './RuleVersions.tsx';
import { NEW_RULE_TEMPLATE, ruleBody, ruleKey, rulesKey, textOf, type Rule, type RuleFormat } from './rule-types.ts';

export function RuleEditor({ ruleId }: { ruleId: string | null }) {
  const query = useQuery({
    queryKey: ruleKey(ruleId ?? 'new'),
    queryFn: () => api.get<Rule>(`/api/automation/rules/${ruleId ?? ''}`),
    enabled: ruleId !== null,
  });
  if (ruleId && !query.data) return query.error ? <ServerError error={query.error} /> : <p className="loading">Loading…</p>;
  return <Editor rule={query.data ?? null} />;
}

function Editor({ rule }: { rule: Rule | null }) {
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const toggle = useAction();
  const [format, setFormat] = useState<RuleFormat>(rule?.format ?? 'yaml');
  const [text, setText] = useState(rule ? textOf(rule) : NEW_RULE_TEMPLATE);
  const [deleting, setDeleting] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);

  /** Puts the picked event type where the cursor is (or replaces the selection), as typing it would. */
  function insertType(type: string) {
    const area = textarea.current;
    const start = area?.selectionStart ?? text.length;
    const end = area?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + type + text.slice(end));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + type.length, start + type.length);
    });
  }

  const refresh = async (id: string) => invalidate(rulesKey, ruleKey(id));
  const localProblem = () => {
    try {
      ruleBody(format, text);
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  };

  async function save() {
    setSaved(null);
    const body = ruleBody(format, text);
    const stored = rule
      ? await api.put<Rule>(`/api/automation/rules/${rule.id}`, { ...body, version: rule.version })
      : await api.post<Rule>('/api/automation/rules', body);
    await refresh(stored.id);
    setSaved(`Saved as version ${stored.version}.`);
    if (!rule) void navigate(`/rules/edit/${stored.id}`, { replace: true });
  }

  function switchFormat(next: RuleFormat) {
    // JSON is valid YAML, so JSON text can stay as it is; YAML becomes the stored document as JSON.
    if (next === 'json' && format === 'yaml' && rule && text === textOf(rule)) setText(JSON.stringify(rule.document, null, 2));
    setFormat(next);
  }

  return (
    <div>
      <SectionHeader title={rule ? rule.name : 'New rule'}>
        {rule && (
          <>
            <Badge value={rule.enabled ? 'enabled' : 'disabled'} />
            <span className="muted">version {rule.version}</span>
            <button
              type="button"
              className="secondary"
              disabled={toggle.busy}
              onClick={() =>
                void toggle.run(async () => {
                  await api.post(`/api/automation/rules/${rule.id}/${rule.enabled ? 'disable' : 'enable'}`, { version: rule.version });
                  await refresh(rule.id);
                })
              }
            >
              {rule.enabled ? 'Disable' : 'Enable'}
            </button>
            <button type="button" className="danger" onClick={() => setDeleting(true)}>
              Delete
            </button>
          </>
        )}
      </SectionHeader>
      <ServerError error={toggle.error} />
      <AdminForm label="Rule document" submitLabel={rule ? 'Save new version' : 'Create rule'} onSubmit={save} validate={localProblem}>
        <Field label="Format" hint="JSON is also valid YAML.">
          <select value={format} onChange={(e) => switchFormat(e.target.value as RuleFormat)}>
            <option value="yaml">YAML</option>
            <option value="json">JSON</option>
          </select>
        </Field>
        <Field
          label="Rule"
          wide
          hint="Schema: GET /api/automation/rule-schema. Enabled or not is set with the buttons above, not in the text."
        >
          <textarea
            ref={textarea}
            className="code"
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
            required
            maxLength={262_144}
          />
        </Field>
        <div className="wide">
          <EventTypePicker label="Event type for the trigger or a condition" actionLabel="Insert at cursor" onPick={insertType} />
        </div>
        {saved && (
          <p role="status" className="wide">
            {saved}
          </p>
        )}
      </AdminForm>
      <RuleDryRun format={format} text={text} />
      {rule && (
        <RuleVersions
          ruleId={rule.id}
          onLoad={(version) => {
            setFormat(version.format);
            setText(textOf(version));
            setSaved(`Version ${version.version} loaded into the editor; save to make it current.`);
          }}
        />
      )}
      {rule && (
        <ConfirmDialog
          open={deleting}
          title={`Delete ${rule.name}`}
          confirmLabel="Delete rule"
          onConfirm={async () => {
            await api.delete(`/api/automation/rules/${rule.id}?version=${rule.version}`);
            await invalidate(rulesKey);
            void navigate('/rules');
          }}
          onClose={() => setDeleting(false)}
        >
          <p>The rule stops acting at once. Its versions are kept in the history and the journal.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
