// Placeholder until this screen is written.
export default function AlarmsPage() {
  return <h1>AlarmsPage</h1>;
}
