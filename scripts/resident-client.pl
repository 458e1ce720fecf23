# The launcher's client of the resident console (see ./rsc): perl-base only (every Debian has it; bash cannot speak
# to a Unix socket). Sends nothing before it has verified that the listener is this user's resident console:
#   - DIR (0700) and the endpoint file in it (0600) are this user's, DIR's parent is this user's (0700) and the
#     grandparent this user's or root's and writable by no one else (unless sticky, as /tmp): no other uid can have
#     placed, replaced or renamed any of them;
#   - the socket's peer credentials (SO_PEERCRED, set by the kernel) name this uid and the pid the endpoint names.
# Two ways in:
#   perl resident-client.pl --launch PWD RSC ARGS...   ./rsc's first step for a one-shot: works out the resident
#       console's key and directory as ./rsc's resident_key does, checks that no source is newer than the build,
#       and asks it. The answer goes to stdout/stderr and becomes the exit status. Whenever the resident console
#       cannot answer (none up, the command declined, a build may be due, anything unusual), it execs bash RSC ARGS
#       again with RSC_RESIDENT_ASKED=none or declined, and the launcher goes its own way as before.
#   RSC_RESIDENT_KEY=KEY perl resident-client.pl DIR VERB ARGS...   (the key stays out of argv: it holds RSC_*)
#       ./rsc's resident_ask: fd 3 gets one word: "answered", "declined" (the command is not one for the resident
#       console) or "none WHY" (nothing was asked or answered: run a JVM of its own).
# No module beyond strict: loading Socket, IO::Handle and warnings cost 18 ms of a one-shot's 50 (perl itself: 6 ms).
use strict;
BEGIN { $^W = 1 }   # warnings on, without loading warnings.pm

# Linux's socket numbers, so that Socket.pm need not load; where they are not the platform's, the socket call fails or
# the credentials come back in another shape, and the connection is made again with Socket.pm's own.
sub socket_numbers {
    my ($linux) = @_;
    return (1, 1, 1, 17, sub { pack('S Z*', 1, $_[0]) }) if $linux;   # PF_UNIX SOCK_STREAM SOL_SOCKET SO_PEERCRED
    require Socket;
    return (Socket::PF_UNIX(), Socket::SOCK_STREAM(), Socket::SOL_SOCKET(), Socket::SO_PEERCRED(),
            \&Socket::pack_sockaddr_un);
}

my ($dir, $verb, @args, $key, $verdict, $launcher, @stale_check);
# loaded as a library (the tests: $main::RSC_CLIENT_LIBRARY = 1; do FILE), it defines its subs and does nothing
return 1 if defined $main::{RSC_CLIENT_LIBRARY};
if (@ARGV && $ARGV[0] eq '--launch') {
    (undef, my $pwd, $launcher, @args) = @ARGV;
    $verb = 'run';
    ($dir, $key) = launch_key($pwd, $launcher);
} else {
    ($dir, $verb, @args) = @ARGV;
    $key = delete $ENV{RSC_RESIDENT_KEY};
    open($verdict, '>&=', 3) or exit 99;
    select((select($verdict), $| = 1)[0]);   # autoflush, without IO::Handle
}
delete $ENV{RSC_RESIDENT_KEY};

# the verdict: on fd 3 for ./rsc's resident_ask; from --launch, ./rsc again unless the answer was given
sub verdict {
    if (!defined $launcher) { print $verdict "@_\n"; return; }
    return if $_[0] eq 'answered';
    $ENV{RSC_RESIDENT_ASKED} = $_[0];
    delete $ENV{PERL_SKIP_LOCALE_INIT};   # ./rsc set it for this perl only
    exec('bash', $launcher, @args) or die "rsc: cannot run bash: $!\n";
}
sub none { verdict('none', @_); exit 0; }

# POSIX cksum (CRC-32, polynomial 04C11DB7, the length appended, complemented), as ./rsc's resident_key names the
# directory with cksum(1)
sub cksum {
    my ($data) = @_;
    my @table;
    for my $i (0 .. 255) {
        my $c = $i << 24;
        $c = ($c & 0x80000000) ? (($c << 1) ^ 0x04C11DB7) & 0xFFFFFFFF : ($c << 1) & 0xFFFFFFFF for 1 .. 8;
        $table[$i] = $c;
    }
    my $crc = 0;
    my $step = sub { $crc = (($crc << 8) & 0xFFFFFFFF) ^ $table[(($crc >> 24) ^ $_[0]) & 0xFF]; };
    $step->($_) for unpack('C*', $data);
    for (my $n = length $data; $n; $n >>= 8) { $step->($n & 0xFF); }
    return (~$crc) & 0xFFFFFFFF;
}

# true when a source is newer than the build, as ./rsc's find -newer decides: whole seconds first, and only for what
# was changed in the stamp's own second the fractions (Time::HiRes, loaded then only; perl's, not perl-base's: without
# it such a source counts as newer, and ./rsc's find decides)
sub maybe_stale {
    my ($root, $stamp, $built) = @_;
    my @todo = map { "$root/$_" } qw(pom.xml commands/pom.xml console/pom.xml commands/src/main console/src/main);
    my @same_second;
    while (defined(my $p = pop @todo)) {
        my @s = lstat($p) or next;
        return 1 if $s[9] > $built;
        push @same_second, $p if $s[9] == $built;
        next unless -d _;
        opendir(my $d, $p) or return 1;
        push @todo, map { "$p/$_" } grep { $_ ne '.' && $_ ne '..' } readdir($d);
        closedir($d);
    }
    return 0 unless @same_second;
    return 1 unless eval { require Time::HiRes; 1 };
    my $exact = (Time::HiRes::stat($stamp))[9] // return 1;
    for my $p (@same_second) {
        my $m = (Time::HiRes::lstat($p))[9];
        return 1 if !defined $m || $m > $exact;
    }
    return 0;
}

# ./rsc's resident_key in perl (the directory and the key), or back to ./rsc when anything is out of the ordinary
sub launch_key {
    my ($pwd, $rsc) = @_;
    (my $root = $rsc) =~ s{/[^/]*$}{};
    $root = '.' if $root eq $rsc;
    my $target = "$root/console/target";
    my $build;
    if (defined $ENV{RSC_CLASSPATH} && $ENV{RSC_CLASSPATH} ne '') {
        $build = "class path $ENV{RSC_CLASSPATH}";
    } else {
        my @stamp = stat("$target/.rsc-built");
        none('no build') unless @stamp && -f _ && -d "$target/lib";
        opendir(my $t, $target) or none('no build');
        my @jars = grep { /^rsc-console-.*\.jar$/ } readdir($t);
        closedir($t);
        none('no build') unless @jars;
        @stale_check = ($root, "$target/.rsc-built", $stamp[9]);   # made once the request is out, while the resident console works on it
        open(my $f, '<', "$target/.rsc-built") or none('no build');
        $build = <$f> // '';
        close $f;
        chomp $build;
    }
    my $home = $ENV{HOME} // '';
    my $k = "rsc-resident-1\ncwd=$pwd\nbuild=$build\nHOME=$home";
    for my $prefix ('RSC_', 'DOCKER_') {
        for my $n (sort grep { index($_, $prefix) == 0 && /^[A-Za-z_][A-Za-z0-9_]*$/ } keys %ENV) {
            next if $n =~ /^RSC_RESIDENT/ || $n eq 'RSC_BUILD_ONLY';
            $k .= "\n$n=$ENV{$n}";
        }
    }
    my $base;
    if (defined $ENV{RSC_RESIDENT_DIR} && $ENV{RSC_RESIDENT_DIR} ne '') { $base = $ENV{RSC_RESIDENT_DIR}; }
    elsif ($home ne '') { $base = "$home/.rsc/resident"; }
    else { none('HOME is not set'); }
    none('not an absolute path') unless $base =~ m{^/};
    $base =~ s{/$}{};
    my $d = "$base/" . cksum("$k\n");
    none('too long a path') if length($d) > 90;
    return ($d, $k);
}

# the request must be accepted or declined within this many seconds (connect, send, first line)
my $deadline = 5;
my $uid = $<;

sub mode_of { my @s = lstat($_[0]); return @s ? ($s[4], $s[2]) : (); }
sub private_dir {
    my ($p) = @_;
    my ($owner, $mode) = mode_of($p);
    return defined($owner) && -d _ && $owner == $uid && ($mode & 07777) == 0700;
}
(my $base = $dir) =~ s{/[^/]+/?$}{};
(my $above = $base) =~ s{/[^/]+/?$}{};
$above = '/' if $above eq '';
none("the resident directory $dir is not yours or not 0700") unless private_dir($dir);
none("the resident directory $base is not yours or not 0700") unless private_dir($base);
{
    my ($owner, $mode) = mode_of($above);
    none("$above is missing") unless defined $owner && -d _;
    none("$above belongs to another user") unless $owner == $uid || $owner == 0;
    none("$above is writable by others") if ($mode & 022) && !($mode & 01000);
}
my ($eowner, $emode) = mode_of("$dir/endpoint");
none("no endpoint") unless defined $eowner;
none("the endpoint is not a file of yours, 0600") unless -f _ && $eowner == $uid && ($emode & 07777) == 0600;
open(my $ef, '<', "$dir/endpoint") or none("endpoint unreadable");
my $line = <$ef> // '';
close $ef;
my (undef, $token, $pid) = split ' ', $line;
none("bad endpoint") unless defined $pid && $pid =~ /^\d+$/ && length($token) >= 32;

$SIG{PIPE} = 'IGNORE';
my $parent = defined $launcher ? undef : getppid();   # from --launch, this is the launcher: signals reach it
my ($sock, $buf) = (undef, '');

# the next line from the socket, or undef at its end; waits at most $limit seconds (undef: for ever) and ends when
# the launcher is gone (killed: its child must not hold the connection, the command is interrupted by its closing)
sub next_line {
    my ($limit) = @_;
    my $until = defined $limit ? time + $limit : undef;
    while (1) {
        my $i = index($buf, "\n");
        if ($i >= 0) {
            return substr($buf, 0, $i + 1, '');
        }
        exit 1 if defined $parent && getppid() != $parent;
        die "timeout\n" if defined $until && time >= $until;
        my $rin = '';
        vec($rin, fileno($sock), 1) = 1;
        next unless select(my $rout = $rin, undef, undef, 1) > 0;
        my $n = sysread($sock, $buf, 65536, length $buf);
        if (!$n) {
            return undef if $buf eq '';
            return substr($buf, 0, length $buf, '');
        }
    }
}

my $first = eval {
    local $SIG{ALRM} = sub { die "timeout\n" };
    alarm $deadline;
    my ($ppid, $puid);
    for my $linux ($^O eq 'linux' ? (1, 0) : (0)) {
        my ($pf_unix, $sock_stream, $sol_socket, $so_peercred, $address) = socket_numbers($linux);
        my $creds = eval {
            socket($sock, $pf_unix, $sock_stream, 0) or die "socket: $!\n";
            connect($sock, $address->("$dir/socket")) or die "connect: $!\n";
            my $c = getsockopt($sock, $sol_socket, $so_peercred) // die "no peer credentials\n";
            die "no peer credentials\n" unless length($c) == 12;   # struct ucred: pid, uid, gid
            $c;
        };
        if (defined $creds) {
            ($ppid, $puid) = unpack('i3', $creds);
            last;
        }
        close($sock) if $sock;
        die $@ if !$linux || $@ eq "timeout\n";
    }
    die "the listener is uid $puid, not $uid\n" unless $puid == $uid;
    die "the listener is pid $ppid, not the endpoint's $pid\n" unless $ppid == $pid;
    my $request = join('', map { "$_\0" } 'rsc-resident-1', $token, $key // '', $verb, scalar(@args), @args);
    while (length $request) {
        my $n = syswrite($sock, $request) // die "send: $!\n";
        substr($request, 0, $n) = '';
    }
    # a source newer than the build: whatever this build answers is not wanted (the command only reads; the
    # resident console stops it when the connection closes, at the exec back to ./rsc)
    die "a build may be due\n" if @stale_check && maybe_stale(@stale_check);
    alarm 0;
    next_line($deadline);
};
alarm 0;
none($@ =~ s/\n//r) if $@;
none("closed unanswered") unless defined $first;
if ($first =~ /^d/) {
    verdict('declined');
    exit 0;
}
none("not an answer") unless $first =~ /^a/;

binmode(STDOUT);
binmode(STDERR);
select(STDOUT);
$| = 1;
my ($said, $rc) = (0, undef);
while (defined(my $l = next_line(undef))) {
    my $tag = substr($l, 0, 1);
    my $text = substr($l, 1);
    if ($tag eq 'x') { chomp $text; $rc = $text; last; }
    if ($tag eq 'o') { print STDOUT $text; }
    elsif ($tag eq 'e') { print STDERR $text; }
    elsif ($tag eq 'O') { chomp $text; print STDOUT $text; }
    elsif ($tag eq 'E') { chomp $text; print STDERR $text; }
    $said = 1;
}
close $sock;
if (!defined $rc) {
    none("the resident console said nothing") unless $said;
    print STDERR "rsc: the resident console stopped in the middle of its answer; run the command again\n";
    $rc = 1;
}
verdict('answered');
exit($rc =~ /^\d+$/ ? $rc : 1);
