import { X509Certificate } from 'crypto';
import { rdsRootCertificates } from '../../lib/aws/rds-certificates';

const names = (pem: string) => pem.trim().split(/\n(?=-----BEGIN)/).map(c => new X509Certificate(c).subject.split('\n').find(l => l.startsWith('CN='))!.slice(3));

describe('rdsRootCertificates', () => {
  test('the region\'s three G1 root CAs of Amazon RDS, valid until 2061 or later', () => {
    // WHEN
    const pem = rdsRootCertificates('eu-central-1');
    // THEN
    expect(names(pem)).toEqual(expect.arrayContaining([
      'Amazon RDS eu-central-1 Root CA RSA2048 G1', 'Amazon RDS eu-central-1 Root CA RSA4096 G1', 'Amazon RDS eu-central-1 Root CA ECC384 G1',
    ]));
    expect(names(pem)).toHaveLength(3);
    for (const cert of pem.trim().split(/\n(?=-----BEGIN)/)) {
      expect(new Date(new X509Certificate(cert).validTo).getUTCFullYear()).toBeGreaterThanOrEqual(2061);
    }
    expect(pem.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
  });

  test('for a region the bundle does not list, every region\'s G1 root CAs, never the expired 2019 ones', () => {
    // WHEN
    const all = names(rdsRootCertificates('mx-central-1'));
    // THEN
    expect(all.length).toBeGreaterThan(60);
    expect(all.every(name => / Root CA (RSA2048|RSA4096|ECC384) G1$/.test(name))).toBe(true);
    expect(all).toContain('Amazon RDS us-east-1 Root CA RSA2048 G1');
  });
});
