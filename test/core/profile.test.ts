import { ImagePolicy, NatStrategy, Profile } from '../../lib';

describe('Profile', () => {
  test('DEV favours cost: one NAT, single AZ data, no protection, spot', () => {
    expect(Profile.DEV).toMatchObject({
      availabilityZones: 2,
      multiAz: false,
      deletionProtection: false,
      preventDestroy: false,
      backupRetentionDays: 1,
      logRetentionDays: 365,
      minReplicas: 1,
      spotAllowed: true,
      natStrategy: NatStrategy.SINGLE,
      failOnSecretLiterals: false,
      imagePolicy: ImagePolicy.WARN_UNPINNED,
    });
  });

  test('STAGING protects data but lets Terraform destroy', () => {
    expect(Profile.STAGING).toMatchObject({
      availabilityZones: 2,
      multiAz: false,
      deletionProtection: true,
      preventDestroy: false,
      backupRetentionDays: 7,
      minReplicas: 2,
      spotAllowed: true,
      natStrategy: NatStrategy.SINGLE,
      failOnSecretLiterals: true,
      imagePolicy: ImagePolicy.REQUIRE_PINNED,
    });
  });

  test('PROD is multi-AZ, protected, with long backups and no spot', () => {
    expect(Profile.PROD).toMatchObject({
      availabilityZones: 3,
      multiAz: true,
      deletionProtection: true,
      preventDestroy: true,
      backupRetentionDays: 30,
      logRetentionDays: 365,
      minReplicas: 2,
      spotAllowed: false,
      natStrategy: NatStrategy.ONE_PER_AZ,
      failOnSecretLiterals: true,
      imagePolicy: ImagePolicy.REQUIRE_PINNED,
    });
    expect(Profile.PROD.isProduction).toBe(true);
    expect(Profile.DEV.isProduction).toBe(false);
  });

  test('presets have no overrides', () => {
    expect(Profile.PROD.overrides).toEqual([]);
  });

  test('with() changes only the given fields and lists them as overrides', () => {
    // WHEN
    const profile = Profile.PROD.with({ backupRetentionDays: 14, spotAllowed: true });
    // THEN
    expect(profile.backupRetentionDays).toBe(14);
    expect(profile.spotAllowed).toBe(true);
    expect(profile.multiAz).toBe(true);
    expect(profile.name).toBe('prod');
    expect(profile.overrides).toEqual([
      { field: 'backupRetentionDays', presetValue: '30', value: '14' },
      { field: 'spotAllowed', presetValue: 'false', value: 'true' },
    ]);
  });

  test('with() can let secret-looking literals pass with a warning, as an override', () => {
    const profile = Profile.STAGING.with({ failOnSecretLiterals: false });
    expect(profile.failOnSecretLiterals).toBe(false);
    expect(profile.overrides).toEqual([{ field: 'failOnSecretLiterals', presetValue: 'true', value: 'false' }]);
  });

  test('with() can require digests, or let DEV refuse unpinned images, as an override', () => {
    expect(Profile.PROD.with({ imagePolicy: ImagePolicy.REQUIRE_DIGEST }).overrides)
      .toEqual([{ field: 'imagePolicy', presetValue: 'require-pinned', value: 'require-digest' }]);
    expect(Profile.DEV.with({ imagePolicy: ImagePolicy.REQUIRE_PINNED }).imagePolicy).toBe(ImagePolicy.REQUIRE_PINNED);
  });

  test('fails when the image policy is unknown', () => {
    expect(() => Profile.DEV.with({ imagePolicy: 'none' as ImagePolicy })).toThrow('Profile dev: imagePolicy: got "none"; expected one of');
  });

  test('overrides are always measured against the preset, not the profile derived from', () => {
    // WHEN
    const profile = Profile.DEV.with({ minReplicas: 3 }).with({ minReplicas: 1 });
    // THEN
    expect(profile.overrides).toEqual([]);
  });

  test('fails when backupRetentionDays is outside 1-35', () => {
    expect(() => Profile.PROD.with({ backupRetentionDays: 40 }))
      .toThrow(/Profile prod: backupRetentionDays: got 40; expected an integer from 1 to 35/);
  });

  test('fails when logRetentionDays is not a CloudWatch retention value', () => {
    expect(() => Profile.DEV.with({ logRetentionDays: 100 }))
      .toThrow(/logRetentionDays: got 100; expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120/);
  });

  test('fails when availabilityZones is outside 2-6', () => {
    expect(() => Profile.DEV.with({ availabilityZones: 1 })).toThrow(/availabilityZones: got 1; expected an integer from 2 to 6/);
  });

  test('fails when minReplicas is not positive', () => {
    expect(() => Profile.DEV.with({ minReplicas: 0 })).toThrow(/minReplicas: got 0; expected an integer from 1 to 100/);
  });

  test('fails when natStrategy is not a NatStrategy', () => {
    expect(() => Profile.DEV.with({ natStrategy: 'TWO' as NatStrategy })).toThrow(/natStrategy: got "TWO"; expected one of "SINGLE", "ONE_PER_AZ", "NONE"/);
  });

  test('fails when preventDestroy is on but deletion protection is off', () => {
    expect(() => Profile.PROD.with({ deletionProtection: false }))
      .toThrow(/Profile prod: deletionProtection: got false; expected true when preventDestroy is true/);
  });
});
