// Stands in for Intl.Segmenter in the snapshot bundle (build.mjs): V8 cannot put an Intl object in
// a startup snapshot, and string-width, slice-ansi and wrap-ansi create one when they load. This one
// creates the real segmenter on first use, after the snapshot has started.
export class LazySegmenter {
  #args;
  #segmenter;
  constructor(...args) {
    this.#args = args;
  }
  #real() {
    // Not `Intl.Segmenter`: the bundle defines that name as this class.
    this.#segmenter ??= new (Reflect.get(Intl, 'Segmenter'))(...this.#args);
    return this.#segmenter;
  }
  segment(text) {
    return this.#real().segment(text);
  }
  resolvedOptions() {
    return this.#real().resolvedOptions();
  }
}
