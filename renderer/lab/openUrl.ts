// Opens a URL the user asked for (the server UI). In the browser version the
// page opens a new tab itself: the web shell's Node side runs xdg-open on its
// own machine, which the attendee may never see. In Electron, the main process
// opens the system browser (it checks the URL first).
import { getLab, isWebVersion } from './getLab';

export async function openUrl(url: string): Promise<void> {
  if (isWebVersion()) {
    // noopener: the new tab gets no handle back to this page (and its token).
    window.open(url, '_blank', 'noopener,noreferrer');
    return;
  }
  await getLab().openExternal({ url });
}
