// Placeholder until this screen is written.
export default function FacilityPage() {
  return <h1>FacilityPage</h1>;
}
