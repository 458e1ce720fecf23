# The launcher's client of the resident console (see ./rsc, resident_ask): perl-base only (every Debian has it; bash
# cannot speak to a Unix socket). Sends nothing before it has verified that the listener is this user's resident
# console:
#   - DIR (0700) and the endpoint file in it (0600) are this user's, DIR's parent is this user's (0700) and the
#     grandparent this user's or root's and writable by no one else (unless sticky, as /tmp): no other uid can have
#     placed, replaced or renamed any of them;
#   - the socket's peer credentials (SO_PEERCRED, set by the kernel) name this uid and the pid the endpoint names.
# Usage: RSC_RESIDENT_KEY=KEY perl resident-client.pl DIR VERB ARGS...   (the key stays out of argv: it holds RSC_*)
# The answer goes to stdout/stderr and becomes the exit status; fd 3 gets one word: "answered", "declined" (the
# command is not one for the resident console) or "none WHY" (nothing was asked or answered: run a JVM of its own).
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

my ($dir, $verb, @args) = @ARGV;
my $key = delete $ENV{RSC_RESIDENT_KEY};
open(my $verdict, '>&=', 3) or exit 99;
select((select($verdict), $| = 1)[0]);   # autoflush, without IO::Handle
sub verdict { print $verdict "@_\n"; }
sub none { verdict('none', @_); exit 0; }

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
my $parent = getppid();
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
        exit 1 if getppid() != $parent;
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
