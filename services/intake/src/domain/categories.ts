import { type Category, CATEGORIES, type CategoryCatalogue } from '@gridcase/contracts';

/**
 * Which category codes a report may name: triage's catalogue as intake last stored it, or the
 * built-in list until one arrives. Synchronous, so validation can ask it; `db/catalogue.ts` keeps
 * it in step with intake's table.
 */
export class CategoryHolder {
  #version = 0;
  #byCode = new Map<string, Category>(CATEGORIES.map((c) => [c.code, c]));

  /** 0 while the built-in list applies. */
  get version(): number {
    return this.#version;
  }

  readonly has = (code: string): boolean => this.#byCode.has(code);

  find(code: string): Category | undefined {
    return this.#byCode.get(code);
  }

  all(): Category[] {
    return [...this.#byCode.values()];
  }

  /** Takes a catalogue only when it is newer than the one held. */
  replace(catalogue: CategoryCatalogue): boolean {
    if (catalogue.version <= this.#version) return false;
    this.#version = catalogue.version;
    this.#byCode = new Map(catalogue.categories.map((c) => [c.code, c]));
    return true;
  }
}
