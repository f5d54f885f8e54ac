// Layout for tests. Not exported from an entry point.

/**
 * jsdom lays nothing out, so every element measures 0×0 and LogViewer's
 * AutoSizer renders no lines. Giving elements a size makes the log visible
 * to the test, as it is in a browser.
 */
export function giveElementsASize(width = 1000, height = 600) {
  let original: typeof HTMLElement.prototype.getBoundingClientRect;
  beforeAll(() => {
    original = HTMLElement.prototype.getBoundingClientRect;
    HTMLElement.prototype.getBoundingClientRect = function measured() {
      return {
        width,
        height,
        top: 0,
        left: 0,
        right: width,
        bottom: height,
        x: 0,
        y: 0,
        toJSON: () => ({}),
      } as DOMRect;
    };
  });
  afterAll(() => {
    HTMLElement.prototype.getBoundingClientRect = original;
  });
}
