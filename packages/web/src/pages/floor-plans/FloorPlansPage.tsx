// Placeholder until this screen is written.
export default function FloorPlansPage() {
  return <h1>FloorPlansPage</h1>;
}
