// Placeholder until this screen is written.
export default function OperatorsPage() {
  return <h1>OperatorsPage</h1>;
}
