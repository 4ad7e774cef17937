// Paged lists nested under many owners (each group's members, each institution's flows …) in one
// operation: the pages of every owner asked for with the same filters and page size come from one SQL
// statement, and so do their totals. One instance per request (it holds DataLoaders).
import DataLoader from 'dataloader';
import { groupBy } from './collections';
import { Page, type PageRequest } from './pagination';

export interface OwnerPagesSpec<Shape, Row> {
  /** A stable string for a list shape (filters): keys with equal shapes share a statement. */
  shapeKey(shape: Shape): string;
  /** Up to `page.take + 1` rows per owner, in list order, each with its owner: one statement. */
  loadPages(shape: Shape, page: PageRequest, owners: string[]): Promise<{ owner: string; row: Row }[]>;
  /** Rows per owner over all pages: one statement. */
  loadTotals(shape: Shape, owners: string[]): Promise<Map<string, number>>;
  /** The cursor key of a row (its position in list order). */
  cursorKey(row: Row): string;
}

interface PageKey<Shape> {
  shape: Shape;
  owner: string;
  page?: PageRequest;
}

export class OwnerPages<Shape, Row> {
  private readonly pages: DataLoader<PageKey<Shape>, Row[], string>;
  private readonly totals: DataLoader<PageKey<Shape>, number, string>;

  constructor(private readonly spec: OwnerPagesSpec<Shape, Row>) {
    this.pages = new DataLoader((keys) => this.loadPages(keys), { cacheKeyFn: (k) => this.batchKey(k) + k.owner });
    this.totals = new DataLoader((keys) => this.loadTotals(keys), { cacheKeyFn: (k) => this.batchKey(k) + k.owner });
  }

  /** The owner's page; its totalCount is read only when asked for. */
  async page(shape: Shape, owner: string, page: PageRequest): Promise<Page<Row>> {
    const rows = await this.pages.load({ shape, owner, page });
    return Page.fromRows(rows, page.take, (row) => this.spec.cursorKey(row), () => this.totals.load({ shape, owner }));
  }

  private batchKey(key: PageKey<Shape>): string {
    return JSON.stringify([this.spec.shapeKey(key.shape), key.page?.take ?? null, key.page?.afterKey ?? null]);
  }

  private async loadPages(keys: readonly PageKey<Shape>[]): Promise<Row[][]> {
    const results = new Map<string, Row[]>();
    for (const [batch, same] of groupBy(keys, (k) => this.batchKey(k))) {
      const owners = same.map((k) => k.owner);
      for (const owner of owners) results.set(batch + owner, []);
      for (const { owner, row } of await this.spec.loadPages(same[0].shape, same[0].page!, owners)) results.get(batch + owner)?.push(row);
    }
    return keys.map((k) => results.get(this.batchKey(k) + k.owner) ?? []);
  }

  private async loadTotals(keys: readonly PageKey<Shape>[]): Promise<number[]> {
    const results = new Map<string, number>();
    for (const [batch, same] of groupBy(keys, (k) => this.batchKey(k))) {
      const totals = await this.spec.loadTotals(same[0].shape, same.map((k) => k.owner));
      for (const { owner } of same) results.set(batch + owner, totals.get(owner) ?? 0);
    }
    return keys.map((k) => results.get(this.batchKey(k) + k.owner) ?? 0);
  }
}
