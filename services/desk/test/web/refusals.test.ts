import { EXTENSION_UNTIL_NOT_AFTER_NOW, HOLD_UNTIL_NOT_AFTER_NOW, REASSIGN_REFUSALS } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { outageText, problemText, reasonText, refusalText } from '../../web/src/refusals.ts';

const fieldWord = (lang: 'zh' | 'en', path: string) => (path === 'officerIds.0' ? (lang === 'zh' ? '改派给（可多选） 小李' : 'Reassign to 小李') : undefined);

describe('desk page: what a refusal says', () => {
  // The case of record says these words (assignment's gridWorkerMisfit; contracts' REASSIGN_REFUSALS).
  const misfit = { message: REASSIGN_REFUSALS.gridWorkerOtherGrid };

  it("shows the server's reason for each field it names, in Chinese where the page knows it (audit 7: only the field was said)", () => {
    const refusal = { status: 400, problems: [{ path: 'officerIds.0', message: misfit.message }] };
    expect(refusalText('zh', refusal, fieldWord)).toBe('填写的内容有误：改派给（可多选） 小李：网格员只能承办本人所在社区网格的案件，此案件不在其网格内');
    expect(refusalText('en', refusal, fieldWord)).toBe(`the request names something wrong: Reassign to 小李: ${misfit.message}`);
  });

  it("keeps the server's own words for a reason it does not know, and its detail when no field is named", () => {
    expect(refusalText('zh', { status: 400, problems: [{ path: 'x', message: 'something new' }] }, fieldWord)).toBe('填写的内容有误：x：something new');
    expect(refusalText('zh', { status: 409, problems: [], detail: 'case is acknowledged' }, fieldWord)).toBe('案件当前状态不允许此操作：case is acknowledged');
    expect(refusalText('zh', { status: 409, problems: [] }, fieldWord)).toBe('案件当前状态不允许此操作');
    expect(refusalText('zh', { status: 0, problems: [] }, fieldWord)).toBe('无法连接值班台服务');
  });

  it("knows the contracts' and the case of record's words as they are written there", () => {
    expect(reasonText('zh', HOLD_UNTIL_NOT_AFTER_NOW)).toBe('恢复时间须晚于现在');
    expect(reasonText('zh', EXTENSION_UNTIL_NOT_AFTER_NOW)).toBe('延期时间须晚于现在');
    expect(reasonText('zh', REASSIGN_REFUSALS.gridWorkerTip)).toBe('网格员不承办线索类案件');
    expect(reasonText('zh', REASSIGN_REFUSALS.needsPolice)).toBe('红色、橙色案件须至少有一名民警（警格员、警长或领导）承办');
    expect(reasonText('zh', 'this person is on leave until 2026-12-01T02:00:00.000Z and cannot take a case now')).toBe('此人休假至 2026-12-01 10:00，现在不能承办案件');
  });

  it('says an outage in the page’s words, not the server’s English detail (audit20 #4)', () => {
    const stale = 'the revocation list is stale (it could not be refreshed lately), so client tokens cannot be checked; retry later';
    const upstream = 'http://127.0.0.1:3003 did not answer /v1/officers; the page shows it once it does';
    // A read, which the page loads again by itself.
    expect(problemText('zh', { status: 503, message: stale })).toBe('服务暂时不可用，正在自动重试');
    expect(problemText('zh', { status: 503, message: upstream })).toBe('服务暂时不可用，正在自动重试');
    expect(problemText('zh', { status: 502, message: 'bad gateway' })).toBe('服务暂时不可用，正在自动重试');
    expect(problemText('zh', { status: 504, message: 'timeout' })).toBe('服务暂时不可用，正在自动重试');
    expect(problemText('zh', { status: 429, message: 'too many requests' })).toBe('请求过于频繁，稍后自动重试');
    expect(problemText('zh', { status: 500, message: 'internal' })).toBe('值班台服务出错，正在自动重试');
    expect(problemText('en', { status: 503, message: stale })).toBe('The service is unavailable for a moment; retrying by itself');
    expect(problemText('zh', { status: 0, message: 'network' })).toBe('无法连接值班台服务');
    // Not an outage: the server's words, as before.
    expect(problemText('zh', { status: 400, message: 'limit: too big' })).toBe('出错了：limit: too big');
    // A command or a sign-in is not sent again by itself.
    expect(outageText('zh', 503, false)).toBe('服务暂时不可用，请稍后再试');
    expect(outageText('zh', 429, false)).toBe('请求过于频繁，请稍后再试');
    expect(outageText('zh', 409, false)).toBeUndefined();
    expect(refusalText('zh', { status: 503, problems: [], detail: upstream }, fieldWord)).toBe('服务暂时不可用，请稍后再试');
    expect(refusalText('zh', { status: 429, problems: [], detail: 'rate limit exceeded' }, fieldWord)).toBe('请求过于频繁，请稍后再试');
  });
});
