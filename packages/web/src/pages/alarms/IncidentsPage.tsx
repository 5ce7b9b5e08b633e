// Placeholder until this screen is written.
export default function IncidentsPage() {
  return <h1>IncidentsPage</h1>;
}
