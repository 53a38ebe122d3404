import { describe, expect, it } from 'vitest';
import { corpusLines, hasCorpus } from '../corpus';
import { fileRules, findingsOf, ingestText } from './helpers';
import { MIN, T0, accessLine, lines, regiondLine } from './lines';

const ATTACKER = '203.0.113.66';
const ADMIN = '10.20.0.5';

const access = (text: string) => ingestText('var/log/apache2/access.log', text);
const regiond = (text: string) => ingestText('var/snap/maas/common/log/regiond.log', text);

describe('web_rapid_fire_requests', () => {
  const rules = fileRules('web_rapid_fire_requests.yml');
  const burst = (ip: string, n: number, stepMs: number) => Array.from({ length: n }, (_, i) => accessLine(T0 + i * stepMs, ip, 'GET', `/page/${i}`, 200));
  it('fires on 50 requests in a minute from one client', async () => {
    expect(findingsOf(rules, await access(lines(...burst(ATTACKER, 50, 1000)))).map((f) => [f.entities['source.ip'], f.count])).toEqual([[ATTACKER, 50]]);
  });
  it('stays quiet on 49, and on 100 requests spread over ten minutes', async () => {
    expect(findingsOf(rules, await access(lines(...burst(ATTACKER, 49, 1000))))).toEqual([]);
    expect(findingsOf(rules, await access(lines(...burst(ADMIN, 100, 6000))))).toEqual([]);
  });
});

describe('web_login_failures', () => {
  const rules = fileRules('web_login_failures.yml');
  const tries = (n: number, status: number, path = '/MAAS/accounts/login/') => Array.from({ length: n }, (_, i) => accessLine(T0 + i * 20_000, ATTACKER, 'POST', path, status, 'python-requests/2.31', 'admin'));
  it('fires on five 401s on the login form in ten minutes, 403s too', async () => {
    expect(findingsOf(rules, await access(lines(...tries(5, 401)))).map((f) => [f.entities['source.ip'], f.count])).toEqual([[ATTACKER, 5]]);
    expect(findingsOf(rules, await access(lines(...tries(6, 403, '/wp-login.php')))).map((f) => f.count)).toEqual([6]);
  });
  it('stays quiet on four failures, on 401s of API paths, and on successful logins', async () => {
    expect(findingsOf(rules, await access(lines(...tries(4, 401))))).toEqual([]);
    expect(findingsOf(rules, await access(lines(...tries(10, 401, '/MAAS/api/2.0/machines/'))))).toEqual([]);
    expect(findingsOf(rules, await access(lines(...tries(10, 200))))).toEqual([]);
  });
});

describe('maas_ui_login_failures', () => {
  const rules = fileRules('maas_ui_login_failures.yml');
  const tries = (n: number, status: string) => Array.from({ length: n }, (_, i) => regiondLine(T0 + i * 60_000, ATTACKER, 'POST', '/MAAS/accounts/login/', status));
  it('fires on three refused UI logins (400) in regiond.log', async () => {
    expect(findingsOf(rules, await regiond(lines(...tries(3, '400 BAD_REQUEST')))).map((f) => [f.entities['source.ip'], f.count])).toEqual([[ATTACKER, 3]]);
  });
  it('stays quiet on two, on successful logins and on the login form being shown', async () => {
    expect(findingsOf(rules, await regiond(lines(...tries(2, '400 BAD_REQUEST'))))).toEqual([]);
    expect(findingsOf(rules, await regiond(lines(...tries(5, '200 OK'))))).toEqual([]);
    const shown = Array.from({ length: 5 }, (_, i) => regiondLine(T0 + i * 1000, ATTACKER, 'GET', '/MAAS/accounts/login/', '200 OK'));
    expect(findingsOf(rules, await regiond(lines(...shown)))).toEqual([]);
  });
  it.skipIf(!hasCorpus)("stays quiet on the MAAS docs' legitimate login line (seed)", async () => {
    expect(findingsOf(rules, await regiond(lines(...corpusLines('maas/maas/docs-2020-03-31.regiond-http-login.log'))))).toEqual([]);
  });
});

describe('web_404_burst and web_path_enumeration', () => {
  const burst = fileRules('web_404_burst.yml');
  const enumeration = fileRules('web_path_enumeration.yml');
  const missing = (n: number, distinct: boolean, stepMs = 2000) => Array.from({ length: n }, (_, i) => accessLine(T0 + i * stepMs, ATTACKER, 'GET', distinct ? `/admin${i}.php` : '/favicon.ico', 404));
  it('fires on 30 distinct missing pages in a minute (both rules)', async () => {
    const events = await access(lines(...missing(30, true)));
    expect(findingsOf(burst, events).map((f) => f.count)).toEqual([30]);
    expect(findingsOf(enumeration, events).map((f) => f.value)).toEqual([30]);
  });
  it('one missing asset asked for again and again is a burst, not an enumeration', async () => {
    const events = await access(lines(...missing(40, false)));
    expect(findingsOf(burst, events).map((f) => f.count)).toEqual([40]);
    expect(findingsOf(enumeration, events)).toEqual([]);
  });
  it('stays quiet on 19 distinct pages, and on 404s spread over the day', async () => {
    expect(findingsOf(enumeration, await access(lines(...missing(19, true))))).toEqual([]);
    expect(findingsOf(burst, await access(lines(...missing(100, true, 15 * MIN))))).toEqual([]);
  });
});

describe('web_sql_injection', () => {
  const rules = fileRules('web_sql_injection.yml');
  const hits = [
    '/MAAS/api/2.0/machines/?id=1%20union%20select%20username,password%20from%20auth_user--',
    "/search?q=1'%20OR%20'1'='1",
    '/item.php?id=1+AND+SLEEP(5)',
    '/index.php?id=1;DROP%20TABLE%20users',
    '/news?id=-1%20UNION%20ALL%20SELECT%20NULL,table_name%20FROM%20information_schema.tables--',
  ];
  it('fires on each encoded form, decoded', async () => {
    const events = await access(lines(...hits.map((u, i) => accessLine(T0 + i * 1000, ATTACKER, 'GET', u, 500, 'sqlmap/1.7.2#stable'))));
    expect(findingsOf(rules, events).map((f) => f.count)).toEqual([hits.length]);
  });
  it('stays quiet on ordinary queries that contain SQL words', async () => {
    const quiet = ['/MAAS/api/2.0/machines/?op=allocate', '/search?q=select+a+union+member', '/docs?topic=order%20by%20date', '/MAAS/api/2.0/events/?op=query&level=AUDIT'];
    expect(findingsOf(rules, await access(lines(...quiet.map((u) => accessLine(T0, ADMIN, 'GET', u, 200)))))).toEqual([]);
  });
  it.skipIf(!hasCorpus)("fires on every time-based injection acunetix sent in the corpus (sleep, pg_sleep, waitfor delay), and only on them", async () => {
    const acunetix = await access(lines(...corpusLines('ocatak-apache-http-logs/acunetix.first2500.txt')));
    const found = findingsOf(rules, acunetix);
    const byId = new Map(acunetix.map((e) => [e.id, e.raw]));
    const raws = found.flatMap((f) => f.eventIds.map((id) => byId.get(id)!));
    const timeBased = acunetix.filter((e) => /sleep\(|waitfor%20delay/i.test(e.raw));
    expect(timeBased.length).toBe(21);
    expect(new Set(raws)).toEqual(new Set(timeBased.map((e) => e.raw)));
  });
});

describe('web_webshell_attempt', () => {
  const rules = fileRules('web_webshell_attempt.yml');
  it('fires on shell names and on shell commands in parameters', async () => {
    const urls = ['/uploads/c99.php', '/x.php?cmd=uname%20-a', '/cmd.php?c=cat%20/etc/passwd', '/a.jsp?exec=whoami'];
    const events = await access(lines(...urls.map((u, i) => accessLine(T0 + i, ATTACKER, 'GET', u, 404))));
    expect(findingsOf(rules, events).map((f) => f.count)).toEqual([4]);
  });
  it('stays quiet on ordinary PHP pages and parameters', async () => {
    const urls = ['/index.php?c=home', '/login.php', '/help.php?command=list-topics', '/shelling.php'];
    expect(findingsOf(rules, await access(lines(...urls.map((u) => accessLine(T0, ADMIN, 'GET', u, 200)))))).toEqual([]);
  });
});

describe('web_maas_api_token_created', () => {
  const rules = fileRules('web_maas_api_token_created.yml');
  it('fires on a token created through the API, not on a refused one or on listing tokens', async () => {
    const url = '/MAAS/api/2.0/account/?op=create_authorisation_token';
    expect(findingsOf(rules, await access(lines(accessLine(T0, ATTACKER, 'POST', url, 200)))).map((f) => f.count)).toEqual([1]);
    expect(findingsOf(rules, await access(lines(accessLine(T0, ATTACKER, 'POST', url, 401), accessLine(T0, ADMIN, 'GET', '/MAAS/api/2.0/account/?op=list_authorisation_tokens', 200))))).toEqual([]);
  });
});
