import { IConstruct } from 'constructs';
import { recordWarning } from './decisions';
import { validateLiteral } from './literal';
import { invalid } from '../core/errors';
import { ImagePolicy } from '../core/profile';
import { validateOneOf } from '../core/validation';

// The reference grammar of the OCI distribution spec (github.com/distribution/reference).
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const REFERENCE = new RegExp(`^(${REPOSITORY})(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$`);
const MAX_REPOSITORY_LENGTH = 255;

/**
 * A container image reference split into its parts.
 * @internal
 */
export interface ImageReference {
  /** Registry and path, e.g. `registry.example.com/team/app`. */
  readonly repository: string;
  /** Tag, e.g. `1.4.2`; undefined when the reference has none. */
  readonly tag?: string;
  /** Digest, `sha256:<64 hex digits>`; undefined when the reference has none. */
  readonly digest?: string;
}

/**
 * Splits an image reference, or returns undefined when it is not one.
 * @internal
 */
export function parseImage(image: string): ImageReference | undefined {
  const match = typeof image === 'string' ? REFERENCE.exec(image) : null;
  if (!match || match[1].length > MAX_REPOSITORY_LENGTH) { return undefined; }
  return { repository: match[1], tag: match[2], digest: match[3] };
}

/**
 * Fails unless `image` is a valid reference that `policy` accepts. By
 * default it must be pinned by a tag other than `latest` or by a digest: a
 * floating reference changes what runs without a change to the
 * declaration, and nodes pull it at different times, so replicas of one
 * Deployment can run different code. With `ImagePolicy.WARN_UNPINNED` an
 * unpinned image is a warning of the synth report instead (none when
 * `scope` is a path, for checks made before the construct exists).
 *
 * @returns the parsed reference
 * @internal
 */
export function validateImage(scope: IConstruct | string, property: string, image: string,
  policy: ImagePolicy = ImagePolicy.REQUIRE_PINNED): ImageReference {
  validateLiteral(scope, property, image);
  validateOneOf(scope, 'imagePolicy', policy, Object.values(ImagePolicy));
  const parsed = parseImage(image);
  if (!parsed) {
    throw invalid(scope, property, image,
      'an image reference such as "registry.example.com/team/app:1.4.2" or "registry.example.com/team/app@sha256:<64 hex digits>"');
  }
  const untagged = parsed.tag === undefined && parsed.digest === undefined;
  const latest = parsed.tag !== undefined && parsed.tag.toLowerCase() === 'latest' && parsed.digest === undefined;
  if (policy === ImagePolicy.REQUIRE_DIGEST && parsed.digest === undefined) {
    throw invalid(scope, property, image, 'an image pinned by a digest, e.g. "registry.example.com/team/app:1.4.2@sha256:<64 hex digits>" '
      + `(the environment's image policy is ${ImagePolicy.REQUIRE_DIGEST})`);
  }
  if (policy === ImagePolicy.WARN_UNPINNED && (untagged || latest)) {
    if (typeof scope !== 'string') {
      recordWarning(scope, `${property}: image ${JSON.stringify(image)} is not pinned (${untagged ? 'no tag: the runtime pulls "latest"' : 'tag "latest"'}); `
        + 'replicas may run different code and a restart may change it. Pin a tag or digest before it reaches an environment '
        + `whose image policy is ${ImagePolicy.REQUIRE_PINNED}`);
    }
    return parsed;
  }
  if (untagged) {
    throw invalid(scope, property, image, 'an image with a tag or a digest (without either, the runtime pulls the moving "latest")');
  }
  if (latest) {
    throw invalid(scope, property, image, 'a tag other than "latest", or a digest (@sha256:...)');
  }
  return parsed;
}
