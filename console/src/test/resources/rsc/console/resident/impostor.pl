#!/usr/bin/perl
# The second user's fake resident console (run as another uid by ResidentImpostorIntegrationTests): listens where a
# launcher might call (a TCP port on 127.0.0.1 and/or DIR/socket), plants DIR/endpoint naming itself, writes every
# byte it is sent to LOG and answers a forged success. Prints "listening N" (how many listeners it got), then serves
# until killed. Usage: impostor.pl LOG DIR|- PORT|-
use strict;
use warnings;
use Socket;
use IO::Handle;

my ($log, $dir, $port) = @ARGV;
my @listeners;
if ($port ne '-') {
    socket(my $t, PF_INET, SOCK_STREAM, 0) or die "socket: $!";
    setsockopt($t, SOL_SOCKET, SO_REUSEADDR, 1);
    if (bind($t, pack_sockaddr_in($port, inet_aton('127.0.0.1'))) && listen($t, 16)) {
        push @listeners, $t;
    }
}
if ($dir ne '-') {
    my $path = "$dir/socket";
    unlink $path;
    socket(my $u, PF_UNIX, SOCK_STREAM, 0) or die "socket: $!";
    if (bind($u, pack_sockaddr_un($path)) && listen($u, 16)) {
        chmod 0777, $path;
        push @listeners, $u;
    }
    my $token = 'f' x 64;
    if (open(my $e, '>', "$dir/endpoint")) {
        print $e ($port ne '-' ? $port : 'unix') . " $token $$\n";
        close $e;
        chmod 0600, "$dir/endpoint";
    }
}
STDOUT->autoflush(1);
print "listening " . scalar(@listeners) . "\n";
while (1) {
    my $rin = '';
    vec($rin, fileno($_), 1) = 1 for @listeners;
    select(my $rout = $rin, undef, undef, undef) > 0 or next;
    for my $l (@listeners) {
        next unless vec($rout, fileno($l), 1);
        accept(my $c, $l) or next;
        open(my $out, '>>', $log) or die "log: $!";
        $out->autoflush(1);
        print $out "connection\n";
        my $buf;
        my $cin = '';
        vec($cin, fileno($c), 1) = 1;
        while (select(my $r = $cin, undef, undef, 1) > 0) {
            my $n = sysread($c, $buf, 65536);
            last unless $n;
            print $out $buf;
        }
        syswrite($c, "a\nodoctor clean (FORGED)\nx0\n");
        close $c;
        close $out;
    }
}
