// Placeholder until this screen is written.
export default function JournalPage() {
  return <h1>JournalPage</h1>;
}
