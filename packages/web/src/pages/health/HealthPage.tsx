// Placeholder until this screen is written.
export default function HealthPage() {
  return <h1>HealthPage</h1>;
}
