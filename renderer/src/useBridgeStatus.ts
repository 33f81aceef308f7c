import { useEffect, useState } from 'react';
import { bridgeStatus, onBridgeStatus } from '../lab/getLab';
import type { BridgeStatus } from '../lab/webBridge';

/** The link to the app's Node side: 'open', or (web version) 'connecting'/'closed' while it is gone. */
export function useBridgeStatus(): BridgeStatus {
  const [link, setLink] = useState(bridgeStatus());
  useEffect(() => {
    const off = onBridgeStatus(setLink);
    setLink(bridgeStatus());
    return off;
  }, []);
  return link;
}
