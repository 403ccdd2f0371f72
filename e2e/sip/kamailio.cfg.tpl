#!KAMAILIO
#
# The workstation's test SIP server: registrar + location + stateful proxy with digest auth,
# SIP over WebSocket for SIP.js user agents (ws://127.0.0.1:@WS_PORT@) and UDP for plain SIP
# peers (127.0.0.1:@UDP_PORT@). Rendered by e2e/support/kamailio.ts, which fills the @…@
# placeholders (ports, run folder, users, gateway address) and starts Kamailio in the
# foreground for a suite.
#
# Calls from the public network come from the PSTN/SIP gateway (@GATEWAY_ADDR@) as plain SIP
# over UDP. The gateway has no account here, like a trunk in the city's SIP server: its requests
# are trusted by source address and transport instead of digest auth. Everything else (every
# WebSocket client, and REGISTER from anywhere) is authenticated as before.
#
# With WITH_QUEUE, calls to the queue lines (12345 …) are distributed by the platform: Kamailio
# holds each call (transaction suspended, the caller hears ringback), reports it over evapi and
# rings whichever agent the platform names; see route[QUEUE_ENTER] and platform/src/queue/.

#!define FLT_NATS 5
#!define FLT_TRUNK 7
# Branch flag: this call crosses between a WebSocket (WebRTC) and a plain UDP user agent.
#!define FLB_RTPE 8

# "#!define WITH_RTPENGINE" when the suite runs rtpengine (kamailio.ts), nothing otherwise.
@RTPENGINE_DEFINE@
# "#!define WITH_QUEUE" when the platform distributes calls to the queue lines, nothing otherwise.
@QUEUE_DEFINE@

#!ifdef WITH_RTPENGINE
# Media of calls between the phone network (plain RTP/AVP, G.711) and a WebRTC seat go through
# rtpengine, which bridges ICE + DTLS-SRTP and plain RTP. The flags name what the SDP must look
# like for the side it is sent to. Browser-to-browser calls never touch rtpengine.
#!substdef "!RTPE_TO_WEBRTC!ICE=force DTLS=passive SDES-off UDP/TLS/RTP/SAVPF rtcp-mux-require generate-mid replace-origin replace-session-connection!g"
#!substdef "!RTPE_TO_PLAIN!ICE=remove DTLS=off SDES-off RTP/AVP rtcp-mux-demux replace-origin replace-session-connection!g"
#!endif

debug=2
log_stderror=yes
log_prefix="{$mt $ci} "
children=2
tcp_children=2
auto_aliases=no
# With the port: otherwise every local user agent on 127.0.0.1 would be taken for the proxy itself.
alias="127.0.0.1:@UDP_PORT@"
alias="127.0.0.1:@WS_PORT@"

listen=udp:127.0.0.1:@UDP_PORT@
listen=tcp:127.0.0.1:@WS_PORT@

tcp_accept_no_cl=yes
tcp_connection_lifetime=3605
tcp_rd_buf_size=16384

loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "nathelper.so"
loadmodule "xhttp.so"
loadmodule "websocket.so"
loadmodule "ctl.so"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "htable.so"
loadmodule "auth.so"
#!ifdef WITH_RTPENGINE
loadmodule "rtpengine.so"
#!endif
#!ifdef WITH_QUEUE
loadmodule "jansson.so"
loadmodule "evapi.so"
#!endif

modparam("ctl", "binrpc", "unix:@RUN_DIR@/kamailio_ctl")
modparam("tm", "failure_reply_mode", 3)
modparam("tm", "fr_timer", 30000)
modparam("tm", "fr_inv_timer", 120000)
modparam("rr", "enable_full_lr", 1)
modparam("rr", "append_fromtag", 1)
modparam("usrloc", "db_mode", 0)
# A registration whose WebSocket is gone is dropped, so calls do not go to a dead connection.
modparam("usrloc", "handle_lost_tcp", 1)
modparam("registrar", "received_avp", "$avp(RECEIVED)")
modparam("registrar", "max_expires", 3600)
modparam("registrar", "min_expires", 30)
modparam("registrar", "gruu_enabled", 0)
modparam("nathelper", "received_avp", "$avp(RECEIVED)")
modparam("nathelper", "natping_interval", 0)
modparam("websocket", "keepalive_mechanism", 1)
modparam("websocket", "keepalive_timeout", 30)
modparam("websocket", "keepalive_interval", 1)
modparam("htable", "htable", "users=>size=6;")
modparam("auth", "nonce_expire", 300)
#!ifdef WITH_RTPENGINE
modparam("rtpengine", "rtpengine_sock", "@RTPENGINE_SOCK@")
# Try the relay again soon after a failed command rather than a minute later.
modparam("rtpengine", "rtpengine_disable_tout", 2)
modparam("rtpengine", "rtpengine_tout_ms", 2000)
#!endif

#!ifdef WITH_QUEUE
# The platform connects here (PLATFORM_EVAPI); every connected instance hears every report.
modparam("evapi", "bind_addr", "127.0.0.1:@EVAPI_PORT@")
modparam("evapi", "workers", 2)
# Per queued call (by Call-ID): where it is (waiting, offered, answered), the offer's attempt
# number and agent, so that replies and failures are reported with them.
modparam("htable", "htable", "qlines=>size=4;")
modparam("htable", "htable", "qstate=>size=10;autoexpire=14400;")
modparam("htable", "htable", "qattempt=>size=10;autoexpire=14400;")
modparam("htable", "htable", "qagent=>size=10;autoexpire=14400;")
#!endif

event_route[htable:mod-init] {
@USERS@
#!ifdef WITH_QUEUE
@QUEUE_LINES@
#!endif
}

request_route {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (!sanity_check("17895", "7")) {
		exit;
	}
	# One line per REGISTER: tests count them to prove there is no retry storm.
	if (is_method("REGISTER")) {
		xlog("L_NOTICE", "REGISTER from $fU auth=$au\n");
	}
	force_rport();
	# A trunk request: UDP from the gateway's address. Never a REGISTER, so no one can take over
	# an extension by sending from the gateway host.
	if ($proto == "udp" && $si == "@GATEWAY_ADDR@" && !is_method("REGISTER")) {
		setflag(FLT_TRUNK);
		if (is_method("INVITE") && !has_totag()) {
			xlog("L_NOTICE", "trunk INVITE to $rU call-id $ci\n");
		}
	}
	if (nat_uac_test("64")) {
		if (is_method("REGISTER")) {
			fix_nated_register();
		} else if (is_first_hop()) {
			set_contact_alias();
		}
		setflag(FLT_NATS);
	}

	if (is_method("CANCEL")) {
		if (t_check_trans()) {
#!ifdef WITH_QUEUE
			# A held call is ended by Kamailio itself (487); the platform counts it abandoned.
			if ($sht(qstate=>$ci) == "waiting") {
				$sht(qstate=>$ci) = $null;
				$var(qev) = "callerHangup";
				route(QUEUE_REPORT);
			}
#!endif
			route(RELAY);
		}
		exit;
	}
	if (!is_method("ACK")) {
		if (t_precheck_trans()) {
			t_check_trans();
			exit;
		}
		t_check_trans();
	}

	route(WITHINDLG);

	remove_hf("Route");
#!ifdef WITH_RTPENGINE
	# A relayed call that fails as a whole (every branch, or CANCEL) releases its media session.
	if (is_method("INVITE")) t_on_failure("RTPE_FAILED");
#!endif
	# SIP.js sends every in-dialog request (ACK, BYE, REFER, NOTIFY) up its one WebSocket.
	if (is_method("INVITE|SUBSCRIBE|REFER")) {
		record_route();
	}

	if (is_method("REGISTER")) {
		route(AUTH);
		if (!save("location")) sl_reply_error();
		exit;
	}
	if (is_method("OPTIONS") && uri==myself && $rU==$null) {
		sl_send_reply("200", "Keepalive");
		exit;
	}
	if (isflagset(FLT_TRUNK)) {
		route(TRUNK);
	} else {
		route(AUTH);
	}
	if ($rU == $null) {
		sl_send_reply("484", "Address Incomplete");
		exit;
	}
#!ifdef WITH_QUEUE
	if (is_method("INVITE") && $sht(qlines=>$rU) != $null) {
		route(QUEUE_ENTER);
		exit;
	}
#!endif
	if (!lookup("location")) {
		$var(rc) = $rc;
		t_newtran();
		switch ($var(rc)) {
			case -1:
			case -3:
				send_reply("404", "Not Found");
				exit;
			case -2:
				send_reply("405", "Method Not Allowed");
				exit;
		}
	}
	route(RELAY);
	exit;
}

route[WITHINDLG] {
	if (!has_totag()) return;
	if (loose_route()) {
		if (!isdsturiset()) handle_ruri_alias();
		if (is_method("ACK")) route(NATMANAGE);
#!ifdef WITH_RTPENGINE
		if (check_route_param("rtpe=yes")) {
			setbflag(FLB_RTPE);
			route(RTPE_INDIALOG);
		}
#!endif
#!ifdef WITH_QUEUE
		if (is_method("BYE") && check_route_param("q=1")) {
			$var(qev) = "ended";
			route(QUEUE_REPORT);
		}
#!endif
		route(RELAY);
		exit;
	}
	if (is_method("ACK")) {
		if (t_check_trans()) {
			route(RELAY);
		}
		exit;
	}
	sl_send_reply("404", "Not here");
	exit;
}

# The trunk only delivers calls into this domain: it is not an open relay to anywhere else.
# The domain's own name counts too (without a port): a transfer target arrives as a Refer-To like
# sip:8002@@DOMAIN@, which a caller from the phone network then calls.
route[TRUNK] {
	if (!(uri == myself) && $rd != "@DOMAIN@") {
		sl_send_reply("403", "Trunk may only call local users");
		exit;
	}
	return;
}

route[AUTH] {
	if (is_method("ACK|CANCEL|PRACK")) return;
	$var(pw) = $sht(users=>$fU);
	if ($var(pw) == $null) $var(pw) = "<no-such-user>";
	if (is_method("REGISTER")) {
		if (!pv_www_authenticate("$td", "$var(pw)", "0")) {
			www_challenge("$td", "0");
			exit;
		}
		if ($au != $tU) {
			sl_send_reply("403", "Forbidden auth ID");
			exit;
		}
	} else {
		if (!pv_proxy_authenticate("$fd", "$var(pw)", "0")) {
			proxy_challenge("$fd", "0");
			exit;
		}
		if ($au != $fU) {
			sl_send_reply("403", "Forbidden auth ID");
			exit;
		}
	}
	consume_credentials();
	return;
}

# Marks dialogs that involve a WebSocket user agent (flag 5 on the request, branch flag 6 kept in
# the Record-Route as ;nat=yes) so that replies and in-dialog requests get their Contact aliased.
route[NATMANAGE] {
	if (is_request() && has_totag() && check_route_param("nat=yes")) {
		setbflag(6);
	}
	if (!(isflagset(FLT_NATS) || isbflagset(6))) return;
	if (is_request() && !has_totag() && t_is_branch_route()) {
		add_rr_param(";nat=yes");
	}
	if (is_reply() && isbflagset(6)) {
		set_contact_alias();
	}
	return;
}

route[RELAY] {
	if (is_method("INVITE|BYE|SUBSCRIBE|UPDATE|REFER|NOTIFY")) {
		if (!t_is_set("branch_route")) t_on_branch("BRANCH");
	}
	if (is_method("INVITE|SUBSCRIBE|UPDATE|REFER")) {
		if (!t_is_set("onreply_route")) t_on_reply("REPLY");
	}
	if (!t_relay()) sl_reply_error();
	exit;
}

branch_route[BRANCH] {
	route(NATMANAGE);
#!ifdef WITH_RTPENGINE
	route(RTPE_BRANCH);
#!endif
}

onreply_route[REPLY] {
	route(REPLY_COMMON);
}

route[REPLY_COMMON] {
	# The callee's reply from a WebSocket: alias its *.invalid Contact to the connection.
	if (nat_uac_test("64")) set_contact_alias();
	route(NATMANAGE);
#!ifdef WITH_RTPENGINE
	route(RTPE_REPLY);
#!endif
}

#!ifdef WITH_RTPENGINE
# An initial INVITE's branch: relay the media when exactly one side is a WebSocket (WebRTC) user
# agent — a call from the phone network to a seat, or a seat calling out to it (also the new
# INVITE a transferred caller sends after a REFER). Marked in the Record-Route (;rtpe=yes) for
# the dialog's later requests and as a branch flag for this transaction's replies.
route[RTPE_BRANCH] {
	if (!is_method("INVITE") || has_totag() || !has_body("application/sdp")) return;
	$var(to_ws) = 0;
	if ($ru =~ ";transport=ws" || $du =~ ";transport=ws") $var(to_ws) = 1;
	$var(from_ws) = 0;
	if (isflagset(FLT_NATS)) $var(from_ws) = 1;
	if ($var(to_ws) == $var(from_ws)) return;
	setbflag(FLB_RTPE);
	add_rr_param(";rtpe=yes");
	route(RTPE_LOG_SDP);
	if ($var(to_ws) == 1) {
		if (!rtpengine_offer("RTPE_TO_WEBRTC")) xlog("L_ERR", "rtpengine offer to WebRTC failed, call-id $ci\n");
	} else {
		if (!rtpengine_offer("RTPE_TO_PLAIN")) xlog("L_ERR", "rtpengine offer to plain RTP failed, call-id $ci\n");
	}
	xlog("L_NOTICE", "rtpengine relays call-id $ci (from ws $var(from_ws), to ws $var(to_ws))\n");
}

# An SDP in a reply of a relayed call goes to the other kind of user agent than it came from.
route[RTPE_REPLY] {
	if (!isbflagset(FLB_RTPE) || !has_body("application/sdp")) return;
	if (!($rs =~ "^(18[0-9]|2[0-9][0-9])$")) return;
	if (!is_method("INVITE|UPDATE")) return;
	route(RTPE_LOG_SDP);
	if (nat_uac_test("64")) {
		rtpengine_answer("RTPE_TO_PLAIN");
	} else {
		rtpengine_answer("RTPE_TO_WEBRTC");
	}
	xlog("L_NOTICE", "rtpengine answer in $rs call-id $ci\n");
}

# Later requests of a relayed call: re-INVITEs (hold, resume), an ACK with an answer, and BYE.
route[RTPE_INDIALOG] {
	if (is_method("BYE")) {
		rtpengine_delete();
		return;
	}
	if (!has_body("application/sdp")) return;
	route(RTPE_LOG_SDP);
	if (is_method("INVITE|UPDATE")) {
		if (nat_uac_test("64")) {
			rtpengine_offer("RTPE_TO_PLAIN");
		} else {
			rtpengine_offer("RTPE_TO_WEBRTC");
		}
		xlog("L_NOTICE", "rtpengine re-offer call-id $ci\n");
	} else if (is_method("ACK")) {
		if (nat_uac_test("64")) {
			rtpengine_answer("RTPE_TO_PLAIN");
		} else {
			rtpengine_answer("RTPE_TO_WEBRTC");
		}
	}
}

# One line per SDP of a relayed call, as its sender wrote it (tests read the negotiated codec).
route[RTPE_LOG_SDP] {
	if (nat_uac_test("64")) {
		xlog("L_NOTICE", "rtpe sdp from webrtc $mt call-id $ci: $(rb{line.sw,m=audio})\n");
	} else {
		xlog("L_NOTICE", "rtpe sdp from plain $mt call-id $ci: $(rb{line.sw,m=audio})\n");
	}
}

failure_route[RTPE_FAILED] {
	if (isbflagset(FLB_RTPE)) rtpengine_delete();
}
#!endif

#!ifdef WITH_QUEUE
# A call to a queue line: held in a suspended transaction while the platform finds an agent.
# The caller hears ringback (180); the transaction's own timer (fr_timer, @QUEUE_HOLD_MS@ ms)
# ends a call the platform never decided on. ";q=1" in the Record-Route marks its dialog, so
# its BYE is reported (the agent's talk time ends).
route[QUEUE_ENTER] {
	add_rr_param(";q=1");
	if (!t_newtran()) {
		sl_reply_error();
		exit;
	}
	t_reply("180", "Ringing");
	$sht(qstate=>$ci) = "waiting";
	$sht(qattempt=>$ci) = 0;
	t_set_fr(0, @QUEUE_HOLD_MS@);
	t_on_failure("QUEUE_FAILURE");
	xlog("L_NOTICE", "queue: call-id $ci entered line $rU\n");
	$var(qline) = $rU;
	# Suspends the transaction, then reports it with its handle (index:label) for t_continue.
	evapi_async_relay("{\"event\":\"entered\",\"callId\":\"$(ci{s.escape.common})\",\"line\":\"$(var(qline){s.escape.common})\",\"handle\":\"$T(id_index):$T(id_label)\",\"ts\":\"$TV(Sn)\"}");
	exit;
}

# One report to the platform, built with jansson (Call-IDs are escaped properly): $var(qev) names it.
route[QUEUE_REPORT] {
	$var(qj) = "{}";
	jansson_set("string", "event", "$var(qev)", "$var(qj)");
	jansson_set("string", "callId", "$ci", "$var(qj)");
	jansson_set("string", "ts", "$TV(Sn)", "$var(qj)");
	if ($var(qev) == "answered" || $var(qev) == "notAnswered" || $var(qev) == "offerFailed") {
		jansson_set("string", "agent", "$sht(qagent=>$ci)", "$var(qj)");
		jansson_set("integer", "attempt", "$sht(qattempt=>$ci)", "$var(qj)");
		if ($var(qcode) > 0) jansson_set("integer", "code", "$var(qcode)", "$var(qj)");
	}
	evapi_relay("$var(qj)");
}

# Hold the call again (after an offer that failed) and report why.
route[QUEUE_HOLD_AGAIN] {
	$sht(qstate=>$ci) = "waiting";
	t_set_fr(0, @QUEUE_HOLD_MS@);
	t_on_failure("QUEUE_FAILURE");
	if (!t_suspend()) {
		xlog("L_ERR", "queue: cannot hold call-id $ci again\n");
		t_reply("500", "Queue Error");
		exit;
	}
	route(QUEUE_REPORT);
	exit;
}

# The platform's command, continued in the held transaction ($var(q*) set by the evapi route).
route[QUEUE_OFFER] {
	$sht(qstate=>$ci) = "offered";
	$sht(qattempt=>$ci) = $var(qattempt);
	$sht(qagent=>$ci) = $var(qagent);
	$ru = "sip:" + $var(qagent) + "@@DOMAIN@";
	$du = $null;
	if (!lookup("location")) {
		xlog("L_NOTICE", "queue: agent $var(qagent) not registered, call-id $ci\n");
		$var(qev) = "offerFailed";
		$var(qcode) = 404;
		route(QUEUE_HOLD_AGAIN);
	}
	xlog("L_NOTICE", "queue: offer $var(qattempt) of call-id $ci to $var(qagent) for $var(qring) s\n");
	# Ring for the line's ring time; a branch with no reply at all fails after 5 s.
	t_set_fr($var(qring) * 1000, 5000);
	t_on_branch("BRANCH");
	t_on_reply("QUEUE_REPLY");
	t_on_failure("QUEUE_FAILURE");
	if (!t_relay()) {
		$var(qev) = "offerFailed";
		$var(qcode) = 500;
		route(QUEUE_HOLD_AGAIN);
	}
	exit;
}

route[QUEUE_OVERFLOW] {
	$sht(qstate=>$ci) = $null;
	$ru = "sip:" + $var(qtarget) + "@@DOMAIN@";
	$du = $null;
	xlog("L_NOTICE", "queue: call-id $ci overflows to $var(qtarget)\n");
	if (!lookup("location")) {
		t_reply("480", "Temporarily Unavailable");
		exit;
	}
	t_set_fr(60000, 5000);
	t_on_branch("BRANCH");
	t_on_reply("REPLY");
#!ifdef WITH_RTPENGINE
	t_on_failure("RTPE_FAILED");
#!endif
	if (!t_relay()) t_reply("500", "Queue Error");
	exit;
}

route[QUEUE_GIVE_UP] {
	$sht(qstate=>$ci) = $null;
	xlog("L_NOTICE", "queue: gave up call-id $ci\n");
	append_to_reply("Retry-After: 300\r\n");
	t_reply("480", "Temporarily Unavailable");
	exit;
}

onreply_route[QUEUE_REPLY] {
	route(REPLY_COMMON);
	if ($rs == 200 && $sht(qstate=>$ci) == "offered") {
		$sht(qstate=>$ci) = "answered";
		$var(qev) = "answered";
		$var(qcode) = 0;
		route(QUEUE_REPORT);
	}
}

# An offer ended without an answer, the caller hung up, or the hold ran out.
failure_route[QUEUE_FAILURE] {
#!ifdef WITH_RTPENGINE
	if (isbflagset(FLB_RTPE)) rtpengine_delete();
#!endif
	if (t_is_canceled()) {
		if ($sht(qstate=>$ci) != $null) {
			$sht(qstate=>$ci) = $null;
			$var(qev) = "callerHangup";
			route(QUEUE_REPORT);
		}
		exit;
	}
	if ($sht(qstate=>$ci) != "offered") {
		# Held for the whole hold time without a decision (the platform was unreachable).
		$sht(qstate=>$ci) = $null;
		xlog("L_WARN", "queue: call-id $ci held too long, released\n");
		$var(qev) = "gone";
		route(QUEUE_REPORT);
		t_reply("480", "Temporarily Unavailable");
		exit;
	}
	# The agent's phone rang out, declined or was busy (it replied), or could not be reached.
	$var(qcode) = $T_reply_code;
	if (t_any_replied()) {
		$var(qev) = "notAnswered";
	} else {
		$var(qev) = "offerFailed";
	}
	xlog("L_NOTICE", "queue: offer of call-id $ci to $sht(qagent=>$ci) failed ($T_reply_code)\n");
	route(QUEUE_HOLD_AGAIN);
}

# A command from the platform: {"action": "offer"|"overflow"|"giveUp", "tindex", "tlabel", ...}.
event_route[evapi:message-received] {
	$var(qaction) = "";
	jansson_get("action", "$evapi(msg)", "$var(qaction)");
	jansson_get("tindex", "$evapi(msg)", "$var(qti)");
	jansson_get("tlabel", "$evapi(msg)", "$var(qtl)");
	jansson_get("callId", "$evapi(msg)", "$var(qcallid)");
	$var(qti) = $(var(qti){s.int});
	$var(qtl) = $(var(qtl){s.int});
	if ($var(qaction) == "offer") {
		jansson_get("agent", "$evapi(msg)", "$var(qagent)");
		jansson_get("attempt", "$evapi(msg)", "$var(qattempt)");
		jansson_get("ringS", "$evapi(msg)", "$var(qring)");
		$var(qattempt) = $(var(qattempt){s.int});
		$var(qring) = $(var(qring){s.int});
		if (!($var(qagent) =~ "^[A-Za-z0-9_.+-]{1,64}$") || $var(qring) < 3) {
			xlog("L_ERR", "queue: refused an offer with a bad agent or ring time\n");
			return;
		}
		$var(qroute) = "QUEUE_OFFER";
	} else if ($var(qaction) == "overflow") {
		jansson_get("target", "$evapi(msg)", "$var(qtarget)");
		if (!($var(qtarget) =~ "^[A-Za-z0-9_.+*#-]{1,64}$")) {
			xlog("L_ERR", "queue: refused an overflow with a bad target\n");
			return;
		}
		$var(qroute) = "QUEUE_OVERFLOW";
	} else if ($var(qaction) == "giveUp") {
		$var(qroute) = "QUEUE_GIVE_UP";
	} else {
		xlog("L_ERR", "queue: unknown command from the platform\n");
		return;
	}
	if (!t_continue("$var(qti)", "$var(qtl)", "$var(qroute)")) {
		# The call is no longer held here (the caller hung up meanwhile): say so.
		$var(qj) = "{}";
		jansson_set("string", "event", "gone", "$var(qj)");
		jansson_set("string", "callId", "$var(qcallid)", "$var(qj)");
		jansson_set("string", "ts", "$TV(Sn)", "$var(qj)");
		evapi_relay("$var(qj)");
	}
}

event_route[evapi:connection-new] {
	xlog("L_NOTICE", "queue: platform connected from $evapi(srcaddr)\n");
}

event_route[evapi:connection-closed] {
	xlog("L_NOTICE", "queue: platform disconnected ($evapi(srcaddr))\n");
}
#!endif

# The WebSocket handshake arrives as HTTP on the TCP listener.
event_route[xhttp:request] {
	set_reply_close();
	set_reply_no_connect();
	if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
		if (ws_handle_handshake()) exit;
	}
	xhttp_reply("404", "Not Found", "", "");
}
