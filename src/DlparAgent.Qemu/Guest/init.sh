#!/bin/busybox sh
# /init of DlparAgent's real-Linux guest: mount the kernel's file systems, load the DLPAR and
# NIC modules, keep printk off the console, then run one host command per console line.
/bin/busybox mkdir -p /proc /sys /dev /tmp /run /var/lock /var/log
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox mount -t tmpfs tmpfs /tmp
/bin/busybox mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
/bin/busybox mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
/bin/busybox --install -s 2>/dev/null
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
for module in rpaphp rpadlpar_io e1000; do
  modprobe "$module" || echo "dlpar-guest: modprobe $module failed"
done
# pseries hotplug messages, for the transcripts (dmesg -c after each step)
echo 'file arch/powerpc/platforms/pseries/* +p' > /sys/kernel/debug/dynamic_debug/control 2>/dev/null
dmesg -n 1
stty -echo 2>/dev/null
# The helper's channel: raw before anything arrives on it; ready once the helper says so.
if [ -x /sbin/dlpar-guest-helper ]; then
  stty -F /dev/hvc1 raw -echo 2>/dev/null
  /sbin/dlpar-guest-helper /dev/hvc1 /run/dlpar-guest-helper.ready &
  for i in $(seq 50); do [ -e /run/dlpar-guest-helper.ready ] && break; sleep 0.1; done
fi
echo "DLPAR-GUEST-READY $(uname -r) $(cut -d' ' -f1 /proc/uptime)"
while IFS= read -r line; do eval "$line" </dev/null; done
echo "DLPAR-GUEST-CONSOLE-CLOSED"
exec sh
