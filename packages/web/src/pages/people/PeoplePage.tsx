/**
 * People: the searchable directory beside the selected person's record (`/people/:personId`), and
 * the departments and job roles persons refer to (`/people/directory`). On a phone the record
 * replaces the list, with a way back.
 */
import { Link, useParams } from 'react-router';
import { SubNav } from '../../components/admin/layout.tsx';
import { DirectorySection } from './DirectorySection.tsx';
import { PersonDetail } from './PersonDetail.tsx';
import { PersonList } from './PersonList.tsx';

const DIRECTORY = 'directory';

export default function PeoplePage() {
  const { personId } = useParams();
  const directory = personId === DIRECTORY;
  const selected = directory ? undefined : personId;
  return (
    <section aria-labelledby="people-title">
      <h1 id="people-title">People</h1>
      <SubNav
        label="People sections"
        links={[
          { to: '/people', label: 'Persons', active: !directory },
          { to: `/people/${DIRECTORY}`, label: 'Departments & job roles' },
        ]}
      />
      {directory ? (
        <DirectorySection />
      ) : (
        <div className={selected ? 'split has-detail' : 'split'}>
          <div className="list-pane">
            <PersonList selectedId={selected} />
          </div>
          <div className="detail-pane">
            {selected ? (
              <>
                <Link className="back-link" to="/people">
                  ← All persons
                </Link>
                <PersonDetail key={selected} personId={selected} />
              </>
            ) : (
              <p className="muted">Choose a person to see their record, credentials, training and access.</p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
