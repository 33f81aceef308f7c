// What an emulated pod's file system holds before anything is mounted: the
// alpine 3.20 base (busybox 1.36 with its applet links where alpine installs
// them, /etc), the files the kubelet writes (/etc/hosts, /etc/hostname,
// /etc/resolv.conf) and, in the agent image, the two binaries at their sizes.
import type { Vfs } from './vfs';

export const ALPINE_VERSION = '3.20.3';
export const BUSYBOX_BANNER = 'BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.';

/** Where alpine's busybox package links each applet (busybox --list-full). */
export const APPLET_DIRS: Record<string, string> = {
  '/bin': 'ash cat date df echo egrep false grep hostname kill ls mkdir netstat printenv ps pwd rm sed sh sleep stat stty sync tar touch true uname',
  '/usr/bin': 'awk clear cut du env find free head id md5sum nslookup sha256sum sort tail top tr tty uniq wc wget which xargs',
};

/** Applet name → its full path, e.g. awk → /usr/bin/awk. */
export const APPLET_PATHS: Record<string, string> = Object.fromEntries(
  Object.entries(APPLET_DIRS).flatMap(([dir, names]) => names.split(' ').map((n) => [n, `${dir}/${n}`])),
);

/** Sizes of the agent image's binaries (linux/amd64 releases of 0.136.0), and of alpine's busybox. */
export const BINARY_SIZES = { busybox: 808_712, opampsupervisor: 24_117_432, otelcolContrib: 318_767_288 };

export interface PodIdentity {
  namespace: string;
  name: string;
  ip: string;
  /** ClusterIP of kube-dns, as the kubelet's --cluster-dns. */
  dnsIp?: string;
}

export function populateRootfs(fs: Vfs, pod: PodIdentity): void {
  const built = new Date('2024-09-06T12:04:34Z');
  for (const d of ['/bin', '/sbin', '/usr', '/usr/bin', '/usr/sbin', '/usr/local', '/usr/local/bin', '/lib', '/etc', '/home', '/media', '/mnt', '/opt', '/run', '/srv', '/sys', '/var', '/var/log', '/var/tmp']) fs.mkdir(d);
  fs.writeBinary('/bin/busybox', BINARY_SIZES.busybox, built);
  for (const path of Object.values(APPLET_PATHS)) fs.symlink(path, '/bin/busybox');
  const etc: Record<string, string> = {
    '/etc/alpine-release': `${ALPINE_VERSION}\n`,
    '/etc/os-release': `NAME="Alpine Linux"\nID=alpine\nVERSION_ID=${ALPINE_VERSION}\nPRETTY_NAME="Alpine Linux v3.20"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n`,
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n',
    '/etc/group': 'root:x:0:root\nbin:x:1:root,bin,daemon\ndaemon:x:2:root,bin,daemon\nwheel:x:10:root\nnobody:x:65534:\n',
    '/etc/shells': '# valid login shells\n/bin/sh\n/bin/ash\n',
    '/etc/hostname': `${pod.name}\n`,
    '/etc/hosts': `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${pod.ip}\t${pod.name}\n`,
    '/etc/resolv.conf': `search ${pod.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${pod.dnsIp ?? CLUSTER_DNS_IP}\noptions ndots:5\n`,
  };
  for (const [path, data] of Object.entries(etc)) fs.write(path, data);
}

export const CLUSTER_DNS_IP = '10.96.0.10';

/** The agent image (lab/agent/Dockerfile): the supervisor and the collector at the root. */
export function addAgentBinaries(fs: Vfs): void {
  const built = new Date('2025-09-22T16:41:08Z');
  fs.writeBinary('/opampsupervisor', BINARY_SIZES.opampsupervisor, built);
  fs.writeBinary('/otelcol-contrib', BINARY_SIZES.otelcolContrib, built);
}
