/**
 * Saves text as a file through a temporary object URL, the way a browser
 * downloads anything else, so no server round trip is needed for what is
 * already on screen.
 */
export function downloadText(fileName: string, text: string): void {
  const blob = new Blob([text], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Revoked on the next tick: some browsers start the download after click returns.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
