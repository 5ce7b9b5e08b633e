// Placeholder until this screen is written.
export default function AccessPage() {
  return <h1>AccessPage</h1>;
}
