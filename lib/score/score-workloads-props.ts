import { Size } from '../core/size';

/** Properties of {@link ScoreWorkloads.load}. */
export interface ScoreWorkloadsProps {
  /**
   * Paths of the Score files (score.dev/v1b1), one workload each: regular
   * files of UTF-8 YAML text of at most 1 MiB. `files[].source` is read
   * relative to each and confined to its folder.
   */
  readonly files: string[];
  /** The tenant (and namespace) of every workload. A DNS label of at most 30 characters. */
  readonly tenant: string;
  /**
   * Images replacing those of the Score files, by container name
   * (`web`) or by workload and container (`orders.web`, which wins). A
   * Score image `.` ("the image the pipeline builds") needs one.
   * @default - the images of the Score files
   */
  readonly images?: { [container: string]: string };
  /**
   * Resource classes besides the size names. A resource's `class` picks a
   * size of the platform's catalogue by name, case-insensitively (`class:
   * xl` is size `XL`; `small`, `medium`, `large` and `xlarge` name S, M, L
   * and XL, since a Score class has at least 2 characters), or one of
   * these; `default` picks none.
   * @default - only the size names
   */
  readonly classes?: { [className: string]: Size };
  /**
   * Capacity of every workload (Score has no workload size) and of
   * resources without a class.
   * @default Size.M
   */
  readonly size?: Size;
}
