// Placeholder mount point for the guided "Lab mode" (owned by the guide helper).
export function GuidePanel() {
  return (
    <div className="empty" role="status">
      Lab mode is coming: the guided steps of the workshop will appear here.
    </div>
  );
}
