// Placeholder until this screen is written.
export default function RulesPage() {
  return <h1>RulesPage</h1>;
}
