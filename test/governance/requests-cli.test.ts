// `congthu request …` on both backends: the operator registers a request with its scan, lists it
// with the deadline and working days left, reviews, approves or rejects it, downloads the letter
// as HTML and PDF; --json, --help, and bilingual refusals with exit codes 1 and 2.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, makeBackend, type TestBackend } from '../support/backends.ts';
import { cli } from '../support/cli.ts';
import { extractPdfText, squeeze } from '../support/pdf-text.ts';

const backends = await availableBackends();
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);

describe.each(backends)('congthu request on %s', (name) => {
  let backend: TestBackend;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let scan: string;
  const json = async (argv: string[]): Promise<any> => {
    const r = await cli(env, [...argv, '--json']);
    if (r.code !== 0) throw new Error(`congthu ${argv.join(' ')} exited ${r.code}: ${r.stdout} ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const basis = (file = scan) => [
    '--basis-number',
    '45/QĐ-STP',
    '--basis-date',
    '2026-01-05',
    '--basis-issuer',
    'Giám đốc Sở Tư pháp',
    '--basis-file',
    file,
  ];
  beforeAll(async () => {
    backend = await makeBackend(name);
    env = { CONGTHU_DATA_DIR: backend.dir, CONGTHU_DATABASE_URL: backend.url };
    dir = mkdtempSync(path.join(os.tmpdir(), 'congthu-req-'));
    scan = path.join(dir, 'quyết-định.pdf');
    writeFileSync(scan, PDF);
    await json(['init']);
    await json(['org', 'create', '--code', 'sotuphap', '--name', 'Sở Tư pháp', '--kind', 'department']);
  });
  afterAll(async () => backend.cleanup());

  it('files, reviews and approves; the letter comes out as HTML and PDF', async () => {
    const r = await json([
      'request',
      'file',
      '--agency',
      'sotuphap',
      '--kind',
      'create-personal',
      '--name',
      'Hoàng Thị Thu Hà',
      '--title',
      'Chuyên viên',
      ...basis(),
    ]);
    expect(r).toMatchObject({
      state: 'filed',
      kind: 'create-personal',
      daysLeft: 5,
      basis: { type: 'application/pdf', filename: 'quyết-định.pdf' },
    });
    const table = await cli(env, ['request', 'list', '--agency', 'sotuphap']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      new RegExp(`${r.ref}\\s+create-personal\\s+sotuphap\\s+-\\s+filed\\s+${r.deadline}\\s+5`),
    );
    const early = await cli(env, ['request', 'approve', r.ref]);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(
      'Lỗi: Không thể chấp thuận đề nghị chưa được nhận xử lý; hãy nhận xử lý (review) trước.',
    );
    expect(early.stderr).toContain(
      'Error: Cannot approve a request that is not in review; take it in review first.',
    );
    expect((await json(['request', 'review', r.ref])).state).toBe('in-review');
    const a = await json(['request', 'approve', r.ref]);
    expect(a).toMatchObject({
      state: 'approved',
      result: { address: 'hoangthithuha@quangtri.gov.vn' },
      letter: { number: '1/SKHCN-TTCNTT' },
    });
    expect((await json(['account', 'show', 'hoangthithuha'])).mustChangePassword).toBe(true);
    const shown = await cli(env, ['request', 'show', r.ref]);
    expect(shown.stdout).toContain('Văn bản trả lời / Reply letter');
    expect(shown.stdout).toContain('1/SKHCN-TTCNTT');
    const html = await cli(env, ['request', 'letter', r.ref]);
    expect(html.code).toBe(0);
    expect(html.stdout).toContain('Kính gửi: Sở Tư pháp');
    const out = path.join(dir, 'letter.pdf');
    const pdf = await json(['request', 'letter', r.ref, '--format', 'pdf', '--out', out]);
    expect(pdf).toMatchObject({ number: '1/SKHCN-TTCNTT', format: 'pdf', out });
    const t = extractPdfText(readFileSync(out));
    expect(t.missing).toEqual([]);
    expect(squeeze(t.text)).toContain(squeeze('hoangthithuha@quangtri.gov.vn'));
    const back = path.join(dir, 'back.pdf');
    await json(['request', 'basis', r.ref, '--out', back]);
    expect(readFileSync(back).equals(PDF)).toBe(true);
  });

  it('rejects with a reason, withdraws, sweeps; refuses bad usage (2) and bad requests (1)', async () => {
    const r = await json([
      'request',
      'file',
      '--agency',
      'sotuphap',
      '--kind',
      'create-sub-unit',
      '--code',
      'vanphong',
      '--name',
      'Văn phòng',
      ...basis(),
    ]);
    await json(['request', 'review', r.ref]);
    const noReason = await cli(env, ['request', 'reject', r.ref]);
    expect([noReason.code, noReason.stderr.includes('Missing --reason')]).toEqual([2, true]);
    const rej = await json(['request', 'reject', r.ref, '--reason', 'Chưa có quyết định thành lập phòng']);
    expect(rej).toMatchObject({
      state: 'rejected',
      decisionReason: 'Chưa có quyết định thành lập phòng',
      letter: { number: '2/SKHCN-TTCNTT' },
    });
    expect((await cli(env, ['request', 'letter', r.ref])).stdout).toContain(
      'Lý do: Chưa có quyết định thành lập phòng',
    );
    const w = await json([
      'request',
      'file',
      '--agency',
      'sotuphap',
      '--kind',
      'change',
      '--address',
      'hoangthithuha',
      '--quota',
      '3GB',
      ...basis(),
    ]);
    expect(w.details).toEqual({ address: 'hoangthithuha', quotaBytes: 3_000_000_000 });
    expect((await json(['request', 'withdraw', w.ref, '--reason', 'Nhầm'])).state).toBe('withdrawn');
    expect(await json(['request', 'list', '--overdue'])).toEqual([]);
    expect(await json(['request', 'sweep'])).toEqual({
      reminders: [],
      overdue: [],
      lettersDelivered: 0,
      activationsResent: 0,
    });

    const badKind = await cli(env, [
      'request',
      'file',
      '--agency',
      'sotuphap',
      '--kind',
      'promote',
      ...basis(),
    ]);
    expect(badKind.code).toBe(2);
    const txt = path.join(dir, 'note.txt');
    writeFileSync(txt, 'not a scan');
    const badFile = await cli(env, [
      'request',
      'file',
      '--agency',
      'sotuphap',
      '--kind',
      'create-personal',
      '--name',
      'Lê Văn Tệp',
      ...basis(txt),
    ]);
    expect(badFile.code).toBe(1);
    expect(badFile.stderr).toContain('Lỗi: Tệp văn bản căn cứ phải là bản quét dạng PDF, JPEG hoặc PNG.');
    const missing = await cli(env, [
      'request',
      'file',
      '--agency',
      'sotuphap',
      '--kind',
      'create-personal',
      '--name',
      'Lê Văn Tệp',
      ...basis(path.join(dir, 'none.pdf')),
    ]);
    expect(missing.code).toBe(2);
    const help = await cli(env, ['request', 'file', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('congthu request file --kind KIND');
    expect(help.stdout).toContain(
      'delete: --address A --reason retirement|resignation|transfer-out|dissolution',
    );
    const group = await cli(env, ['request']);
    expect(group.stdout).toContain('request approve');
  });
});
