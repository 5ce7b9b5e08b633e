import { Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { NAVIGATION } from './routes.tsx';
import { Layout } from './shell/Layout.tsx';
import { useSession } from './shell/session.tsx';
import { AccountSetup, SignIn } from './shell/SignIn.tsx';
import { SiteProvider } from './shell/sites.tsx';

function Loading() {
  return (
    <p className="loading" role="status">
      Loading…
    </p>
  );
}

export function App() {
  const { me, loading } = useSession();
  if (loading) return <Loading />;
  if (!me) return <SignIn />;
  if (me.passwordChangeRequired || me.mfaEnrolmentPending) return <AccountSetup me={me} />;
  return (
    <SiteProvider>
      <BrowserRouter>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route element={<Layout />}>
              {NAVIGATION.map(({ path, component: Screen, children = [] }) => [
                <Route key={path} path={path} element={<Screen />} />,
                ...children.map((child) => (
                  <Route key={`${path}/${child}`} path={`${path === '/' ? '' : path}/${child}`} element={<Screen />} />
                )),
              ])}
              <Route path="*" element={<p>No such page.</p>} />
            </Route>
          </Routes>
        </Suspense>
      </BrowserRouter>
    </SiteProvider>
  );
}
