/**
 * Automation: rules (YAML or JSON, validated by the server, versioned, dry-run against recorded
 * events), emergency plans (which doors and outputs each plan drives), and alarm correlations
 * (which alarms together make an incident).
 */
import { useParams } from 'react-router';
import { SubNav } from '../../components/admin/layout.tsx';
import { CorrelationsSection } from './CorrelationsSection.tsx';
import { PlansSection } from './PlansSection.tsx';
import { RuleEditor } from './RuleEditor.tsx';
import { RulesList } from './RulesList.tsx';

export default function RulesPage() {
  const [section = '', id] = (useParams()['*'] ?? '').split('/');
  return (
    <section aria-labelledby="rules-title">
      <h1 id="rules-title">Rules & plans</h1>
      <SubNav
        label="Rules sections"
        links={[
          { to: '/rules', label: 'Rules', active: section === '' || section === 'edit' || section === 'new' },
          { to: '/rules/plans', label: 'Emergency plans' },
          { to: '/rules/correlations', label: 'Correlations' },
        ]}
      />
      {section === 'plans' ? (
        <PlansSection />
      ) : section === 'correlations' ? (
        <CorrelationsSection />
      ) : section === 'new' ? (
        <RuleEditor key="new" ruleId={null} />
      ) : section === 'edit' && id ? (
        <RuleEditor key={id} ruleId={id} />
      ) : (
        <RulesList />
      )}
    </section>
  );
}
