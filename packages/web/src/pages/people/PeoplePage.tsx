// Placeholder until this screen is written.
export default function PeoplePage() {
  return <h1>PeoplePage</h1>;
}
