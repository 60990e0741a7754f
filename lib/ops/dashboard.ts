import { Duration } from 'cdk8s';
import { promDuration, validatePromQl } from './promql';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';
import { validateInteger } from '../core/validation';

/** Unit of a panel's values (Grafana unit ids). */
export enum PanelUnit {
  /** A ratio from 0 to 1 shown as percent. */
  PERCENT_UNIT = 'percentunit',
  /** Percent from 0 to 100. */
  PERCENT = 'percent',
  /** Seconds. */
  SECONDS = 's',
  /** Bytes (IEC: KiB, MiB, ...). */
  BYTES = 'bytes',
  /** Requests per second. */
  REQUESTS_PER_SECOND = 'reqps',
  /** Operations per second. */
  OPERATIONS_PER_SECOND = 'ops',
  /** A plain number (CPU cores, counts). */
  SHORT = 'short',
}

/** One query of a panel. */
export interface PanelQuery {
  /**
   * PromQL, parsed when the panel is made. Grafana's range variables
   * (`$__rate_interval`, `$__interval`, `$__range`) may stand where a range goes.
   */
  readonly expr: string;
  /**
   * Legend of each series, with `{{label}}` placeholders, e.g. `{{pod}}`.
   * @default - Grafana's default (the series' labels)
   */
  readonly legend?: string;
}

/** A panel showing queries. */
export interface PanelProps {
  /** Title of the panel. */
  readonly title: string;
  /** Queries of the panel, one or more. */
  readonly queries: PanelQuery[];
  /**
   * What the panel shows, as its info tooltip.
   * @default - none
   */
  readonly description?: string;
  /**
   * Unit of the values.
   * @default PanelUnit.SHORT
   */
  readonly unit?: PanelUnit;
  /**
   * Width in grid columns (1-24; the dashboard is 24 wide).
   * @default 12
   */
  readonly width?: number;
  /**
   * Height in grid rows (1-50).
   * @default 8
   */
  readonly height?: number;
  /**
   * Lowest value of the axis or gauge.
   * @default - from the data
   */
  readonly min?: number;
  /**
   * Highest value of the axis or gauge.
   * @default - from the data
   */
  readonly max?: number;
  /**
   * Values from which the panel turns orange.
   * @default - no threshold
   */
  readonly warningAbove?: number;
  /**
   * Values from which the panel turns red.
   * @default - no threshold
   */
  readonly criticalAbove?: number;
}

/** A panel of Markdown text. */
export interface TextPanelProps {
  /** Title of the panel. */
  readonly title: string;
  /** The text, Markdown. */
  readonly markdown: string;
  /**
   * Width in grid columns (1-24).
   * @default 24
   */
  readonly width?: number;
  /**
   * Height in grid rows (1-50).
   * @default 3
   */
  readonly height?: number;
}

/**
 * Reference to the dashboard's data source variable, which every panel and
 * query uses: the dashboard works against whichever Prometheus the viewer picks.
 */
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const GRID_WIDTH = 24;
/** Grafana's range variables, replaced by a duration to parse a query. */
const GRAFANA_RANGE_VARIABLE = /\$(__rate_interval|__interval|__range|\{__rate_interval\}|\{__interval\}|\{__range\})/g;

/** A panel of a {@link Dashboard}: time series, stat, gauge or text. */
export class DashboardPanel {
  /** A time series graph. */
  public static timeSeries(props: PanelProps): DashboardPanel {
    checkArguments('DashboardPanel.timeSeries', arguments);
    return new DashboardPanel('timeseries', props);
  }

  /** The latest value as a big number. */
  public static stat(props: PanelProps): DashboardPanel {
    checkArguments('DashboardPanel.stat', arguments);
    return new DashboardPanel('stat', props);
  }

  /** The latest value on a gauge. */
  public static gauge(props: PanelProps): DashboardPanel {
    checkArguments('DashboardPanel.gauge', arguments);
    return new DashboardPanel('gauge', props);
  }

  /** Markdown text, e.g. what the dashboard is about and its runbooks. */
  public static text(props: TextPanelProps): DashboardPanel {
    checkArguments('DashboardPanel.text', arguments);
    const where = `DashboardPanel ${JSON.stringify(props?.title)}`;
    if (typeof props?.markdown !== 'string') {
      throw invalid(where, 'markdown', props?.markdown, 'Markdown text');
    }
    return new DashboardPanel('text', { title: props.title, queries: [], width: props.width ?? GRID_WIDTH, height: props.height ?? 3 }, props.markdown);
  }

  /** Title of the panel. */
  public readonly title: string;
  /** Grafana panel type: `timeseries`, `stat`, `gauge` or `text`. */
  public readonly type: string;
  /** Width in grid columns. */
  public readonly width: number;
  /** Height in grid rows. */
  public readonly height: number;

  private readonly props: PanelProps;
  private readonly markdown?: string;

  private constructor(type: string, props: PanelProps, markdown?: string) {
    const where = `DashboardPanel ${JSON.stringify(props?.title)}`;
    if (typeof props?.title !== 'string' || props.title.trim() === '') {
      throw invalid('DashboardPanel', 'title', props?.title, 'a title');
    }
    this.width = props.width ?? 12;
    this.height = props.height ?? 8;
    validateInteger(where, 'width', this.width, 1, GRID_WIDTH);
    validateInteger(where, 'height', this.height, 1, 50);
    if (type !== 'text') {
      if (!Array.isArray(props.queries) || props.queries.length === 0) {
        throw invalid(where, 'queries', props.queries, 'one or more queries');
      }
      props.queries.forEach((query, i) => {
        validatePromQl(where, `queries[${i}].expr`, typeof query?.expr === 'string' ? query.expr.replace(GRAFANA_RANGE_VARIABLE, '5m') : query?.expr);
      });
      if (props.unit !== undefined && !Object.values(PanelUnit).includes(props.unit)) {
        throw invalid(where, 'unit', props.unit, `one of ${Object.values(PanelUnit).join(', ')}`);
      }
      for (const key of ['min', 'max', 'warningAbove', 'criticalAbove'] as const) {
        const value = props[key];
        if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
          throw invalid(where, key, value, 'a finite number');
        }
      }
    }
    this.type = type;
    this.title = props.title;
    this.props = { ...props, queries: (props.queries ?? []).map(q => ({ ...q })) };
    this.markdown = markdown;
  }

  /**
   * The panel in Grafana's JSON model.
   * @internal
   */
  public _render(id: number, x: number, y: number): any {
    const base = {
      id,
      type: this.type,
      title: this.title,
      gridPos: { h: this.height, w: this.width, x, y },
      ...(this.props.description !== undefined ? { description: this.props.description } : {}),
    };
    if (this.type === 'text') {
      return { ...base, options: { mode: 'markdown', content: this.markdown } };
    }
    const steps: any[] = [{ color: 'green', value: null }];
    if (this.props.warningAbove !== undefined) { steps.push({ color: 'orange', value: this.props.warningAbove }); }
    if (this.props.criticalAbove !== undefined) { steps.push({ color: 'red', value: this.props.criticalAbove }); }
    return {
      ...base,
      datasource: { ...DATASOURCE },
      targets: this.props.queries.map((query, i) => ({
        refId: String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : ''),
        datasource: { ...DATASOURCE },
        expr: query.expr,
        ...(query.legend !== undefined ? { legendFormat: query.legend } : {}),
        range: this.type === 'timeseries',
        instant: this.type !== 'timeseries',
      })),
      fieldConfig: {
        defaults: {
          unit: this.props.unit ?? PanelUnit.SHORT,
          ...(this.props.min !== undefined ? { min: this.props.min } : {}),
          ...(this.props.max !== undefined ? { max: this.props.max } : {}),
          thresholds: { mode: 'absolute', steps },
          ...(this.type === 'timeseries' && steps.length > 1 ? { custom: { thresholdsStyle: { mode: 'line' } } } : {}),
        },
        overrides: [],
      },
      options: this.type === 'timeseries'
        ? { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } }
        : { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } },
    };
  }
}

/** Properties of a {@link Dashboard}. */
export interface DashboardProps {
  /** Title shown in Grafana. */
  readonly title: string;
  /**
   * Grafana uid: 1-40 letters, digits, `-` and `_`; the dashboard's URL. Keep it stable.
   * @default - derived from where the dashboard is delivered (namespace and ConfigMap name)
   */
  readonly uid?: string;
  /**
   * Tags, for search.
   * @default - none
   */
  readonly tags?: string[];
  /**
   * What the dashboard is for.
   * @default - none
   */
  readonly description?: string;
  /**
   * Auto-refresh interval.
   * @default Duration.minutes(1)
   */
  readonly refresh?: Duration;
  /**
   * Time range shown when the dashboard opens (now minus this).
   * @default Duration.hours(6)
   */
  readonly timeRange?: Duration;
}

interface Row {
  readonly title?: string;
  readonly panels: DashboardPanel[];
}

const UID = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * A Grafana dashboard as a typed model: rows of panels laid out left to
 * right on Grafana's 24-column grid, every query parsed as PromQL, every
 * panel reading the dashboard's `datasource` variable (type Prometheus).
 *
 * Deliver it with a {@link DashboardConfigMap}. The model can still be
 * changed (rows and panels added) until synth.
 */
export class Dashboard {
  /** Title shown in Grafana. */
  public readonly title: string;
  /** Grafana uid; undefined when the delivering ConfigMap derives it. */
  public readonly uid?: string;
  /** Tags. */
  public readonly tags: string[];

  private readonly rows: Row[] = [];
  private readonly props: DashboardProps;

  constructor(props: DashboardProps) {
    checkArguments('Dashboard', arguments);
    const where = `Dashboard ${JSON.stringify(props?.title)}`;
    if (typeof props?.title !== 'string' || props.title.trim() === '') {
      throw invalid('Dashboard', 'title', props?.title, 'a title');
    }
    if (props.uid !== undefined && (typeof props.uid !== 'string' || !UID.test(props.uid))) {
      throw invalid(where, 'uid', props.uid, '1-40 letters, digits, "-" and "_"');
    }
    for (const key of ['refresh', 'timeRange'] as const) {
      const value = props[key];
      if (value !== undefined && (!(value instanceof Duration) || value.toSeconds({ integral: false }) < 1
        || !Number.isInteger(value.toSeconds({ integral: false })))) {
        throw invalid(where, key, value, 'a Duration of whole seconds, at least 1 s');
      }
    }
    this.title = props.title;
    this.uid = props.uid;
    this.tags = [...(props.tags ?? [])];
    this.tags.forEach((tag, i) => {
      if (typeof tag !== 'string' || tag.trim() === '' || tag.length > 50) {
        throw invalid(where, `tags[${i}]`, tag, 'a tag of 1-50 characters');
      }
    });
    this.props = props;
  }

  /** Adds a row titled `title` holding `panels`, below everything so far. Returns this dashboard. */
  public addRow(title: string, panels: DashboardPanel[]): Dashboard {
    if (typeof title !== 'string' || title.trim() === '') {
      throw invalid(`Dashboard ${JSON.stringify(this.title)}`, 'row title', title, 'a title');
    }
    this.rows.push({ title, panels: this.checkPanels(panels) });
    return this;
  }

  /** Adds panels below everything so far, outside any row. Returns this dashboard. */
  public addPanels(panels: DashboardPanel[]): Dashboard {
    this.rows.push({ panels: this.checkPanels(panels) });
    return this;
  }

  /** Number of panels (rows not counted). */
  public get panelCount(): number {
    return this.rows.reduce((n, row) => n + row.panels.length, 0);
  }

  /**
   * The dashboard in Grafana's JSON model (schema version 39).
   * @param uid the uid to use when the dashboard has none
   */
  public toJson(uid?: string): any {
    const theUid = this.uid ?? uid;
    if (theUid === undefined || !UID.test(theUid)) {
      throw invalid(`Dashboard ${JSON.stringify(this.title)}`, 'uid', theUid, '1-40 letters, digits, "-" and "_" (give the dashboard a uid)');
    }
    const panels: any[] = [];
    let id = 1;
    let y = 0;
    for (const row of this.rows) {
      if (row.title !== undefined) {
        panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: GRID_WIDTH, x: 0, y }, panels: [] });
        y += 1;
      }
      let x = 0;
      let lineHeight = 0;
      for (const panel of row.panels) {
        if (x + panel.width > GRID_WIDTH) {
          y += lineHeight;
          x = 0;
          lineHeight = 0;
        }
        panels.push(panel._render(id++, x, y));
        x += panel.width;
        lineHeight = Math.max(lineHeight, panel.height);
      }
      y += lineHeight;
    }
    const refresh = (this.props.refresh ?? Duration.minutes(1)).toSeconds();
    const range = (this.props.timeRange ?? Duration.hours(6)).toSeconds();
    return {
      uid: theUid,
      title: this.title,
      ...(this.props.description !== undefined ? { description: this.props.description } : {}),
      tags: [...this.tags],
      // Written by code: changes made in Grafana's UI would be lost at the next sync.
      editable: false,
      graphTooltip: 1,
      schemaVersion: 39,
      version: 1,
      timezone: 'utc',
      time: { from: `now-${promDuration(range)}`, to: 'now' },
      refresh: promDuration(refresh),
      templating: {
        list: [{
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          current: {},
          hide: 0,
          refresh: 1,
          regex: '',
          options: [],
        }],
      },
      annotations: { list: [] },
      links: [],
      panels,
    };
  }

  private checkPanels(panels: DashboardPanel[]): DashboardPanel[] {
    if (!Array.isArray(panels) || panels.some(p => !(p instanceof DashboardPanel))) {
      throw invalid(`Dashboard ${JSON.stringify(this.title)}`, 'panels', panels, 'a list of DashboardPanel (DashboardPanel.timeSeries(...), ...)');
    }
    return [...panels];
  }
}
