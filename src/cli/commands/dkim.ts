/** congthu dkim show: the DKIM keys of the local domains and the DNS records to publish (RFC 6376 §3.6.1). */
import { dkimRecord, ensureDkimKeys, loadDkimKey } from '../../queue/index.ts';
import { CongthuError } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { optional } from '../command.ts';
import { printJson } from '../output.ts';
import { cliConfig } from '../system.ts';

export const dkimCommands: Command[] = [
  {
    path: ['dkim', 'show'],
    summary: 'Bản ghi DNS DKIM cần công bố / The DKIM DNS records to publish',
    usage: '[--domain DOMAIN]',
    options: { domain: { type: 'string' } },
    details:
      'Tạo khóa nếu chưa có (RSA 2048, <dataDir>/dkim/<domain>.<selector>.key, quyền 0600).\nCreates missing keys (RSA 2048, <dataDir>/dkim/<domain>.<selector>.key, mode 0600).',
    async run(inv) {
      const config = cliConfig(inv.io);
      const wanted = optional(inv, 'domain')?.toLowerCase();
      const domains = wanted ? config.localDomains.filter((d) => d === wanted) : config.localDomains;
      if (domains.length === 0)
        throw new CongthuError('not-found', 'dkim.unknown-domain', {
          vi: `"${wanted}" không phải tên miền của hệ thống (${config.localDomains.join(', ')}).`,
          en: `"${wanted}" is not a local domain (${config.localDomains.join(', ')}).`,
        });
      const selector = config.queue.dkimSelector;
      const created = await ensureDkimKeys(config.dataDir, domains, selector);
      const records = [];
      for (const domain of domains) {
        const key = await loadDkimKey(config.dataDir, domain, selector);
        if (!key) continue;
        const r = dkimRecord(key);
        records.push({ domain, selector, keyFile: key.file, created: created.includes(domain), ...r });
      }
      if (inv.json) return printJson(inv.io, records);
      for (const r of records) {
        inv.io.out(`; ${r.domain} (selector ${r.selector}${r.created ? ', khóa mới / new key' : ''})`);
        inv.io.out(r.zoneLine);
        inv.io.out('');
      }
      inv.io.out('Công bố các bản ghi TXT trên trong DNS / Publish the TXT records above in DNS.');
    },
  },
];
