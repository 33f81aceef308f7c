// The overlays the guided lab offers, as text the renderer can show without
// reaching into lab/. The canonical file is lab/overlays/test_opamp.yaml; the
// e2e test checks that this copy has not drifted.
export interface GuideOverlay {
  id: string;
  label: string;
  text: string;
}

export const TEST_OPAMP_OVERLAY = `processors:
  attributes/test_opamp:
    actions:
      - key: opamp.ui_test
        value: "hello-from-ui"
        action: insert

service:
  pipelines:
    traces:
      processors: [attributes/test_opamp]
`;

export const GUIDE_OVERLAYS: readonly GuideOverlay[] = [
  { id: 'test_opamp', label: "Guide: attributes/test_opamp", text: TEST_OPAMP_OVERLAY },
];
