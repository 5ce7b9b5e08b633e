// Placeholder until this screen is written.
export default function ImportPage() {
  return <h1>ImportPage</h1>;
}
