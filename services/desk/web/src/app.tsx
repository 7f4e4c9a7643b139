import type { CommunityGrid, DeskCaseSummary, DeskCaseView, DeskMap, DeskQueues, PoliceGrid, RuleCategory, Station } from '@gridcase/contracts';
import { Fragment } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, api, whenUnauthorized } from './api.ts';
import { CaseList } from './components/case-list.tsx';
import { CaseView } from './components/case-view.tsx';
import { MapView } from './components/map-view.tsx';
import { Queues } from './components/queues.tsx';
import { StatsView } from './components/stats-view.tsx';
import { type Desk, DeskContext } from './context.ts';
import { byUrgency } from './deadline.ts';
import { caseQuery, type Filter, keepCase, PAGE_SIZE, policeGridFilterOf, urgentFirst } from './filter.ts';
import { type Key, type Lang, noStationNotice, pageTitle, t, word } from './i18n.ts';
import { type LiveState, LiveStream } from './live.ts';
import { useLoad } from './load.ts';
import { outageText } from './refusals.ts';
import { COMMAND_KEYS, offers, type PageCommand } from './rules.ts';
import { type Me, saveLang, savedLang, savedToken, saveToken, whoIs } from './session.ts';
import { DUE_SOON_PARAM, formatTime } from './time.ts';

type Tab = 'cases' | 'map' | 'stats';
const TABS: [Tab, Key][] = [
  ['cases', 'tab.cases'],
  ['map', 'tab.map'],
  ['stats', 'tab.stats'],
];
/** The list grows by pages up to this many cases in one request; beyond it, filters narrow it. */
const MAX_LIST = 200;
/** Events arriving together reload the page's data once. */
const SETTLE_MS = 300;
/** How often relative times ("还剩 25 分钟") are redrawn. */
const TICK_MS = 15_000;

function LangSwitch({ lang, setLang }: { lang: Lang; setLang(l: Lang): void }) {
  return (
    <button type="button" class="secondary lang" lang={lang === 'zh' ? 'en' : 'zh-CN'} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang-switch">
      {t(lang, 'lang.switch')}
    </button>
  );
}

function SignIn({ lang, setLang, onSubmit, checking, error }: { lang: Lang; setLang(l: Lang): void; onSubmit(token: string): void; checking: boolean; error?: string | undefined }) {
  const [token, setToken] = useState('');
  return (
    <main class="signin">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) onSubmit(token.trim());
        }}
      >
        <div class="signin-head">
          <h1>{t(lang, 'app.title')}</h1>
          <LangSwitch lang={lang} setLang={setLang} />
        </div>
        <h2>{t(lang, 'signin.title')}</h2>
        <p class="muted">{t(lang, 'signin.hint')}</p>
        <label for="token">{t(lang, 'signin.token')}</label>
        <input id="token" name="token" type="password" autocomplete="off" value={token} onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)} />
        {error ? (
          <p class="problem" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={checking || !token.trim()}>
          {checking ? t(lang, 'signin.checking') : t(lang, 'signin.submit')}
        </button>
      </form>
    </main>
  );
}

/** The signed-in page: queues, list, case, map, figures, all kept current by the live stream. */
export function App() {
  const [lang, setLangState] = useState<Lang>(savedLang());
  const [session, setSession] = useState<{ token: string; me: Me } | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const setLang = (l: Lang) => {
    saveLang(l);
    setLangState(l);
  };
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  // Signed in, the page names the token's station (DeskPage); signed out, no station is known.
  useEffect(() => {
    if (!session) document.title = pageTitle(lang, undefined);
  }, [lang, session]);

  const signIn = async (token: string) => {
    setChecking(true);
    setError(undefined);
    try {
      // The cheapest read of the desk: tells a good token from a refused one, and one without desk roles.
      await api(token, '/v1/cases?limit=1');
      saveToken(token);
      setSession({ token, me: whoIs(token) });
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      if (status === 401 || status === 403) saveToken('');
      setError(status === 401 ? t(lang, 'signin.refused') : status === 403 ? t(lang, 'signin.forbidden') : status === 0 ? t(lang, 'error.network') : (outageText(lang, status, false) ?? String((err as Error).message)));
    } finally {
      setChecking(false);
    }
  };
  useEffect(() => {
    const kept = savedToken();
    if (kept) void signIn(kept);
  }, []);
  // A token revoked or expired while signed in: back to sign-in, saying why (not a frozen board).
  useEffect(() => {
    if (!session) return;
    whenUnauthorized(() => {
      saveToken('');
      setSession(null);
      setError(t(lang, 'signin.ended'));
    });
    return () => whenUnauthorized(undefined);
  }, [session, lang]);

  if (!session) return <SignIn lang={lang} setLang={setLang} onSubmit={signIn} checking={checking} error={error} />;
  return (
    <DeskPage
      key={session.token}
      token={session.token}
      me={session.me}
      lang={lang}
      setLang={setLang}
      onSignOut={() => {
        saveToken('');
        setSession(null);
      }}
    />
  );
}

function LiveBadge({ state, lang, lastEventAt }: { state: LiveState; lang: Lang; lastEventAt: string | undefined }) {
  const text =
    state.kind === 'live'
      ? t(lang, 'live.on')
      : state.kind === 'connecting'
        ? t(lang, 'live.connecting')
        : state.kind === 'retrying'
          ? t(lang, 'live.retrying', { s: state.seconds })
          : t(lang, 'live.refused');
  return (
    <span class={`live live-${state.kind}`} role="status" data-testid="live" data-state={state.kind} title={lastEventAt ? t(lang, 'live.lastEvent', { t: formatTime(lastEventAt) }) : ''}>
      {text}
    </span>
  );
}

function KeysHelp({ lang, onClose }: { lang: Lang; onClose(): void }) {
  const rows: [string, Key][] = [
    ['j / k', 'keys.nav'],
    ['Enter', 'keys.open'],
    ['Esc', 'keys.esc'],
    ['1 / 2 / 3', 'keys.tabs'],
    ['/', 'keys.search'],
    ['?', 'keys.help'],
  ];
  return (
    <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="keys-title">
      <h2 id="keys-title">{t(lang, 'keys.title')}</h2>
      <dl class="fields">
        {rows.map(([k, key]) => (
          <Fragment key={k}>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{t(lang, key)}</dd>
          </Fragment>
        ))}
      </dl>
      <p>{t(lang, 'keys.act')}</p>
      <button type="button" onClick={onClose}>
        {t(lang, 'case.close')}
      </button>
    </div>
  );
}

/** GET /v1/cases. */
interface DeskCaseList {
  items: DeskCaseSummary[];
  nextCursor: string | null;
}

const byCode = <T extends { code: string }>(items: T[] | undefined) => new Map((items ?? []).map((i) => [i.code, i]));

function DeskPage({ token, me, lang, setLang, onSignOut }: { token: string; me: Me; lang: Lang; setLang(l: Lang): void; onSignOut(): void }) {
  const [tab, setTab] = useState<Tab>('cases');
  const [filter, setFilterState] = useState<Filter>({ quick: 'unresolved' });
  const [limit, setLimit] = useState(PAGE_SIZE);
  const [selected, setSelectedState] = useState<string | null>(null);
  const [form, setForm] = useState<PageCommand | null>(null);
  const [version, setVersion] = useState(0);
  const [caseVersion, setCaseVersion] = useState(0);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [live, setLive] = useState<LiveState>({ kind: 'connecting' });
  const [lastEventAt, setLastEventAt] = useState<string | undefined>();
  const [now, setNow] = useState(Date.now());
  const [message, setMessage] = useState<{ text: (lang: Lang) => string; kind: 'ok' | 'error' } | undefined>();
  const [help, setHelp] = useState(false);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  const setFilter = (f: Filter) => {
    setFilterState(f);
    setLimit(PAGE_SIZE);
  };
  const select = (caseId: string | null) => {
    setSelectedState(caseId);
    setForm(null);
  };

  const get = <T,>(path: string) => (signal: AbortSignal) => api<T>(token, path, { signal }).then((r) => r.body);
  const categories = useLoad(get<{ items: RuleCategory[] }>('/v1/categories'), [token]);
  const stations = useLoad(get<{ items: Station[] }>('/v1/stations'), [token]);
  const policeGrids = useLoad(get<{ items: PoliceGrid[] }>('/v1/police-grids'), [token]);
  const grids = useLoad(get<{ items: CommunityGrid[] }>('/v1/grids'), [token]);
  const queues = useLoad(get<DeskQueues>('/v1/queues'), [token], [version]);
  const dueSoon = useLoad(get<DeskCaseList>(`/v1/cases?dueWithin=${DUE_SOON_PARAM}&limit=${MAX_LIST}`), [token], [version]);
  const list = useLoad(
    (signal) => get<DeskCaseList>(`/v1/cases?${caseQuery(filter, limit)}`)(signal).then((l) => ({ ...l, items: l.items.filter((c) => keepCase(filter, c)) })),
    // A longer page of the same filter is the same question: its rows stay while the rest loads.
    [token, filter],
    [limit, version],
  );
  const caseView = useLoad(selected ? get<DeskCaseView>(`/v1/cases/${encodeURIComponent(selected)}`) : null, [token, selected], [caseVersion]);
  const map = useLoad(tab === 'map' ? get<DeskMap>('/v1/map') : null, [token], [tab, version]);

  // Live: every case event reloads what it may change, once per burst; the open case only when it is the one.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const touched = new Set<string>();
    const settle = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        setNow(Date.now());
        setVersion((v) => v + 1);
        if (selectedRef.current && touched.has(selectedRef.current)) setCaseVersion((v) => v + 1);
        touched.clear();
      }, SETTLE_MS);
    };
    const stream = new LiveStream(token, {
      onEvent: (e) => {
        setLastEventAt(e.time);
        touched.add(e.caseId);
        if (e.type === 'gridcase.case.opened.v1') setFresh((s) => new Set(s).add(e.caseId));
        settle();
      },
      onState: setLive,
      // What was missed is not coming as events (the stream said so, or it could not resume): reload everything.
      onReset: () => {
        if (selectedRef.current) touched.add(selectedRef.current);
        settle();
      },
    }).start();
    return () => {
      stream.stop();
      clearTimeout(timer);
    };
  }, [token]);

  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(tick);
  }, []);

  const desk: Desk = useMemo(
    () => ({
      lang,
      token,
      me,
      categories: byCode(categories.data?.items),
      policeGrids: byCode(policeGrids.data?.items),
      grids: byCode(grids.data?.items),
      now,
      say: (text, kind = 'ok') => setMessage({ text, kind }),
    }),
    [lang, token, me, categories.data, policeGrids.data, grids.data, now],
  );

  // The list as shown (and walked by j/k): most urgent first in the views of cases still being worked.
  const shown = useMemo(
    () => (list.data && urgentFirst(filter) ? { ...list.data, items: byUrgency(list.data.items, now) } : list.data),
    [list.data, filter, now],
  );
  const items = shown?.items ?? [];
  // Keyboard: j/k through the list, 1/2/3 tabs, / to the filters, ? help, Esc back out, a command's letter opens its form.
  // Bound in a layout effect, with the render that shows the page: a plain effect runs after the paint, so
  // for a moment the page showed a case's new status while its keys still read the old one (a command's
  // letter pressed then was ignored; the desk page's browser test met it).
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Escape') {
        if (help) setHelp(false);
        else if (form) setForm(null);
        else if (selected) select(null);
        return;
      }
      const target = e.target as HTMLElement | null;
      if (target?.closest('input,textarea,select,[contenteditable="true"]')) return;
      const move = (step: number) => {
        if (!items.length) return;
        const at = items.findIndex((c) => c.caseId === selected);
        const next = items[Math.max(0, Math.min(items.length - 1, at < 0 ? 0 : at + step))];
        if (next) {
          select(next.caseId);
          document.querySelector(`[data-case-id="${next.caseId}"]`)?.scrollIntoView({ block: 'nearest' });
        }
      };
      const handled = (() => {
        switch (e.key) {
          case 'j':
          case 'ArrowDown':
            if (tab !== 'cases') return false;
            move(1);
            return true;
          case 'k':
          case 'ArrowUp':
            if (tab !== 'cases') return false;
            move(-1);
            return true;
          case 'Enter': {
            const first = document.querySelector<HTMLButtonElement>('[data-testid="actions"] button:not([disabled])');
            if (!selected || !first) return false;
            first.focus();
            return true;
          }
          case '1':
          case '2':
          case '3':
            setTab(TABS[Number(e.key) - 1]![0]);
            return true;
          case '/':
            setTab('cases');
            setTimeout(() => document.getElementById('filter-police-grid')?.focus());
            return true;
          case '?':
            setHelp((h) => !h);
            return true;
        }
        const c = caseView.data;
        if (!selected || !c || c.caseId !== selected) return false;
        const command = (Object.entries(COMMAND_KEYS) as [PageCommand, string][]).find(([, k]) => k === e.key)?.[0];
        const actor = { clientId: me.clientId, ...(me.officerId ? { officerId: me.officerId } : {}), roles: me.roles };
        if (!command || !offers(c, actor).some((o) => o.command === command && !o.blocked)) return false;
        setForm(command);
        return true;
      })();
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const title = pageTitle(lang, stations.data?.items);
  const noStation = noStationNotice(lang, stations.data?.items);
  useEffect(() => {
    document.title = title;
  }, [title]);

  const roles = me.roles.map((r) => word(lang, 'clientRole', r)).join(lang === 'zh' ? '、' : ', ');
  return (
    <DeskContext.Provider value={desk}>
      <div class="page">
        <header class="top">
          <h1 data-testid="title">
            {title} <small>{t(lang, 'app.subtitle')}</small>
          </h1>
          <nav class="tabs" aria-label="views">
            {TABS.map(([id, key], i) => (
              <button key={id} type="button" class={tab === id ? 'tab on' : 'tab'} aria-pressed={tab === id} onClick={() => setTab(id)} data-testid={`tab-${id}`}>
                {t(lang, key)} <kbd>{i + 1}</kbd>
              </button>
            ))}
          </nav>
          <LiveBadge state={live} lang={lang} lastEventAt={lastEventAt} />
          <span class="me" data-testid="me">
            {t(lang, 'who.as')}: <b>{me.name ?? me.clientId}</b> · {roles}
          </span>
          <button type="button" class="secondary" onClick={() => setHelp(true)} aria-keyshortcuts="?">
            {t(lang, 'tab.keys')} <kbd>?</kbd>
          </button>
          <LangSwitch lang={lang} setLang={setLang} />
          <button type="button" class="secondary" onClick={onSignOut} data-testid="sign-out">
            {t(lang, 'signout')}
          </button>
        </header>
        <div class={`status-line ${message?.kind ?? ''}`} aria-live="polite" data-testid="status-line">
          {message?.text(lang) ?? ''}
        </div>
        {noStation ? (
          <p class="problem no-station" role="alert" data-testid="no-station">
            {noStation}
          </p>
        ) : null}
        <main class={`layout tab-${tab}${selected ? ' with-case' : ''}`}>
          {tab === 'cases' ? (
            <>
              <aside class="side" aria-label={t(lang, 'queue.title')}>
                <h2>{t(lang, 'queue.title')}</h2>
                <Queues
                  queues={queues}
                  dueSoon={dueSoon.data?.items}
                  active={{ policeGrid: filter.policeGrid, assignee: filter.assignee }}
                  onPoliceGrid={(code) => setFilter({ ...filter, policeGrid: policeGridFilterOf(code), grid: undefined })}
                  onOfficer={(assignee) => setFilter({ ...filter, assignee })}
                />
              </aside>
              <CaseList
                filter={filter}
                setFilter={setFilter}
                list={{ ...list, data: shown ? { ...shown, nextCursor: limit < MAX_LIST ? shown.nextCursor : null } : undefined }}
                onMore={() => setLimit((l) => Math.min(l + PAGE_SIZE, MAX_LIST))}
                selected={selected}
                onSelect={select}
                fresh={fresh}
                officers={queues.data?.officers ?? []}
              />
            </>
          ) : tab === 'map' ? (
            <MapView policeGrids={policeGrids.data?.items} grids={grids.data?.items} gridsError={policeGrids.error ?? grids.error} cases={map} selected={selected} onOpen={select} />
          ) : (
            <StatsView version={version} />
          )}
          {selected ? (
            <CaseView
              caseId={selected}
              loaded={caseView}
              form={form}
              setForm={setForm}
              onClose={() => select(null)}
              onChanged={() => {
                setCaseVersion((v) => v + 1);
                setVersion((v) => v + 1);
              }}
            />
          ) : null}
        </main>
        {help ? <KeysHelp lang={lang} onClose={() => setHelp(false)} /> : null}
      </div>
    </DeskContext.Provider>
  );
}
