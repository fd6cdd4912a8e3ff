"""Every string center staff see (ADMIN_IDS): their command menu, broadcasts, statistics, the
unanswered questions, the deadline and data tools. The texts every user sees are in ``bot/texts.py``.

Strings with ``{}`` fields are ``str.format`` templates; values that came from users must be
HTML-escaped by the caller (replies are sent with parse_mode=HTML).
"""

CLI_DESCRIPTION = "상생협력 혁신형도전과제 알림봇"  # python -m bot --help

# -- command menu (setMyCommands, staff chats only) ------------------------------------------------
COMMANDS = [
    ("broadcast", "구독자에게 공지 보내기"),
    ("broadcasts", "최근 공지 발송 현황"),
    ("stats", "구독자·발송 통계"),
    ("unanswered", "답하지 못한 질문"),
    ("set_deadline", "마감 일시 확정·변경"),
    ("reload", "자료 다시 읽기"),
    ("cancel", "진행 중인 작업 취소"),
]
HELP = (
    "\n\n<b>센터 담당자 명령어</b>\n"
    "/broadcast - 구독자에게 공지 보내기\n"
    "/broadcasts - 최근 공지 발송 현황\n"
    "/stats - 구독자·발송 통계\n"
    "/unanswered - 답하지 못한 질문 보기\n"
    "/set_deadline 2026-12-26 18:00 - 마감 일시 확정·변경 (날짜와 시각 모두)\n"
    "/reload - data 폴더의 자료 다시 읽기\n"
    "/cancel - 진행 중인 작업 취소"
)
CANCELLED = "취소했어요."
NOTHING_TO_CANCEL = "진행 중인 작업이 없어요."

# -- composing a broadcast -------------------------------------------------------------------------
BROADCAST_PROMPT = (
    "📢 구독자에게 보낼 메시지를 그대로 보내 주세요.\n"
    "글(굵게·링크 등 서식 포함), 사진+설명, PDF 같은 파일 모두 받는 사람에게 똑같이 전달돼요.\n"
    "그만두려면 /cancel"
)
BROADCAST_PREVIEW_NOTE = "⬆️ 받는 사람에게는 위와 똑같이 보입니다."
BROADCAST_AUDIENCE = "{note}\n\n<b>대상</b>: {audience} <b>{count:,}명</b>\n보낼까요?"
BROADCAST_AUDIENCE_EMPTY = "\n⚠️ 대상 구독자가 없어요. 대상을 바꾸거나 취소해 주세요."
BROADCAST_AUDIENCE_ALL = "전체 구독자"
BROADCAST_AUDIENCE_SEGMENT = "관심 과제 '{company}' 구독자"
BROADCAST_PICK_AUDIENCE = "보낼 대상을 골라 주세요."
BTN_AUDIENCE_ALL = "전체 구독자 ({count:,}명)"
BTN_AUDIENCE_SEGMENT = "{company} ({count:,}명)"
BTN_CHANGE_AUDIENCE = "🎯 대상 바꾸기"
BTN_CONFIRM_SCHEDULE = "✅ 예약 확정"
BROADCAST_ASK_TIME = (
    "예약 발송 시각을 한국 시간으로 보내 주세요. "
    "예: <code>2026-12-20 10:00</code> 또는 <code>12/20 10:00</code>"
)
BROADCAST_BAD_TIME = (
    "시각을 이해하지 못했어요. <code>2026-12-20 10:00</code> 처럼 보내 주세요. 그만두려면 /cancel"
)
BROADCAST_PAST_TIME = "이미 지난 시각이에요. 앞으로의 시각을 보내 주세요."
BROADCAST_CONFIRM_SCHEDULE = (
    "<b>{when}</b>에 {audience} {count:,}명에게 보낼까요? (받는 사람 수는 보내는 시점에 다시 계산돼요)"
)
BROADCAST_USE_BUTTONS = "위의 버튼으로 보내기·예약·취소를 골라 주세요. 그만두려면 /cancel"
BROADCAST_SCHEDULED = (
    "⏰ 공지 #{id}을(를) <b>{when}</b>에 {audience} {count:,}명에게 보내도록 예약했어요. 재시작해도 유지돼요."
)
BROADCAST_QUEUED = "📤 공지 #{id} 발송을 시작했어요. 진행 상황을 아래에 보여 드릴게요."
BROADCAST_STOPPED = "⏹ 공지 #{id} 발송을 중지했어요. 남은 {n:,}명에게는 보내지 않아요."
BROADCAST_SCHEDULE_CANCELLED = "예약 공지 #{id}을(를) 취소했어요."
BROADCAST_NOT_RUNNING = "이미 끝났거나 중지된 공지예요."
BROADCAST_NO_DRAFT = "보낼 메시지가 없어요. /broadcast 로 다시 시작해 주세요."

# -- broadcast progress, report and list -----------------------------------------------------------
BROADCAST_PROGRESS = "📤 공지 #{id} 발송 중 {sent:,} / {total:,} · 실패 {failed:,} · 남은 시간 약 {eta}"
BROADCAST_DONE = "공지 발송 완료"
BROADCAST_HALTED = "공지 발송 중지"
REPORT_TITLE = "📊 <b>{title}</b> (#{id})"
REPORT_AUDIENCE = "• 대상: {total:,}명"
REPORT_SEGMENT = " (관심 과제: {segment})"
REPORT_SENT = "• 성공: {n:,}명"
REPORT_BLOCKED = "• 차단·탈퇴 등으로 비활성 처리: {n:,}명"
REPORT_FAILED = "• 실패: {n:,}명"
REPORT_CANCELLED = "• 보내지 않음(중지·해지): {n:,}명"
REPORT_REASONS = "• 사유: {reasons}"
REPORT_DURATION = "• 걸린 시간: {duration}"
# Why a delivery was not made: known reasons, then errors such as "network: ..." by their head.
REASON_LABELS = {
    "blocked": "봇 차단",
    "deactivated": "탈퇴한 계정",
    "chat_not_found": "대화방 없음",
    "kicked": "강퇴",
    "unsubscribed": "발송 전 구독 해지",
}
ERROR_KIND_LABELS = {"network": "네트워크 오류", "bad_request": "요청 거부", "telegram": "텔레그램 오류"}
REASON_UNKNOWN = "알 수 없음"
RECENT_EMPTY = "아직 보낸 공지가 없어요."
RECENT_HEADER = "<b>최근 공지</b>"
RECENT_ITEM = "#{id} {status} · {when} · 대상 {total:,} · 성공 {sent:,} · 실패 {failed:,}"
RECENT_SEGMENT = " · 관심 과제 {segment}"
JOB_STATUS = {"scheduled": "예약", "queued": "대기", "sending": "발송 중", "done": "완료",
              "stopped": "중지", "cancelled": "취소"}

# -- /stats ----------------------------------------------------------------------------------------
STATS_SUBSCRIBERS = "<b>📈 구독자 통계</b>"
STATS_ACTIVE = "• 활성 구독자: {n:,}명"
STATS_INACTIVE = "• 비활성: {n:,}명"
STATS_INACTIVE_REASONS = " ({reasons})"
STATS_REASON_OTHER = "기타"
STATS_BY_INTEREST = "• 관심 과제별: {items}"
COUNT_ITEM = "{label} {n:,}"
STATS_DELIVERIES = "<b>📤 발송 합계</b>"
STATS_DELIVERY_TOTALS = "• 성공 {sent:,} · 비활성 처리 {blocked:,} · 실패 {failed:,} · 대기 {pending:,}"
STATS_UNANSWERED = "• 답하지 못한 질문: {n:,}개 (/unanswered)"
STATS_CHART_CAPTION = "날짜별 활성 구독자 수"
STATS_ROUNDS = "<b>🗂 회차별 기록</b>"
STATS_ROUNDS_EMPTY = "• 아직 발송 기록이 없어요."
STATS_ROUND_ITEM = (
    "• {round}: 마감 알림 {reminders}회 (건너뜀 {skipped}) · "
    "발송 성공 {sent:,} · 실패 {failed:,} · 취소 {cancelled:,}"
)
# Drawn into the PNG with Pillow's built-in font, which has no Hangul glyphs: keep it in English.
STATS_CHART_TITLE = "Active subscribers per day (KST)"

# -- unanswered questions --------------------------------------------------------------------------
UNANSWERED_EMPTY = "답하지 못한 질문이 없어요. 👍"
UNANSWERED_HEADER = "<b>답하지 못한 질문</b> (최근순, 미처리 {count}개)"
UNANSWERED_ITEM = "#{id} · {when}\n“{text}”\n가장 가까운 항목: {best} (점수 {score:.2f}, {reason})"
UNANSWERED_REASONS = {"fallback": "확신 낮음", "out_of_scope": "범위 밖", "ambiguous": "후보 비슷"}
UNANSWERED_NO_ENTRY = "없음"
BTN_UNANSWERED_ATTACH = "#{id} ➕ {entry}"
BTN_UNANSWERED_PICK = "#{id} 항목 고르기"
BTN_UNANSWERED_DISMISS = "#{id} 🗑"
BTN_NEXT_PAGE = "다음 ▶"
UNANSWERED_ATTACH_PROMPT = "#{id} “{text}”\n어느 FAQ 항목의 다른 표현으로 추가할까요?"
UNANSWERED_ATTACH_HINT = "\n(목록에 없으면 <code>/attach 번호 항목ID</code>)"
UNANSWERED_ATTACHED = "#{id} 질문을 <b>{entry}</b> 항목의 다른 표현으로 추가했어요. 이제 바로 답할 수 있어요."
UNANSWERED_DISMISSED = "#{id} 질문을 목록에서 지웠어요."
ATTACH_USAGE = "사용법: <code>/attach 번호 항목ID</code> (예: <code>/attach 12 deadline</code>)"
ATTACH_NOT_FOUND = "해당 번호의 질문이나 FAQ 항목을 찾지 못했어요."

# -- deadline and data -----------------------------------------------------------------------------
SET_DEADLINE_USAGE = (
    "사용법: <code>/set_deadline 2026-12-26 18:00</code> (한국 시간, 날짜와 시각 모두)\n"
    "공고문에서 날짜와 시각을 확인한 뒤 보내 주세요. 확인을 누르면 그 일시로 확정됩니다."
)
SET_DEADLINE_CONFIRM = (
    "마감 일시를 바꿀까요?\n현재: {old}\n변경: <b>{new}</b>\n\n"
    "공고문에서 날짜와 시각을 모두 확인하셨다면 확인을 눌러 주세요. 새 일시로 확정되고, 알림 일정이 바로 "
    "바뀌며, 구독자 {count:,}명에게 변경 안내가 한 번 발송됩니다."
)
SET_DEADLINE_CONFIRM_SAME = (
    "마감 일시 <b>{new}</b>을(를) 확정할까요?\n\n"
    "공고문에서 날짜와 시각을 모두 확인하셨다면 확인을 눌러 주세요. 확정하면 '잠정' 표시가 사라지고, "
    "구독자 {count:,}명에게 확정 안내가 한 번 발송됩니다."
)
SET_DEADLINE_PAST = "지난 일시로는 바꿀 수 없어요: {new}"
SET_DEADLINE_DONE = "마감 일시를 <b>{new}</b>(으)로 확정했어요. 다음 알림: {next_reminder}"
SET_DEADLINE_SAME = "이미 그 일시로 확정되어 있어요."
NO_NEXT_REMINDER = "없음"
RELOAD_OK = "자료를 다시 읽었어요. 과제 {challenges}개, FAQ {faq}개."
RELOAD_NEW_ROUND = (
    "\n\n📢 새 회차 <b>{round}</b>를 열었어요 (이전 회차 {old}의 기록은 그대로 남아요). "
    "다음 공고 알림을 신청한 구독자 {notified:,}명에게 새 공고 안내를 한 번 보내요."
)

# -- the round and its deadline (staff /start, /stats, /reload) ------------------------------------
PHASES = {"open": "접수 중", "closed": "접수 마감"}
STAFF_ROUND = "\n\n🛠 <b>담당자 안내</b> · 회차 {round} · {phase}\n마감 일시: {deadline}\n{confirmation}"
DEADLINE_CONFIRMED_BY = "✅ 확정됨 ({by}, {at})"
DEADLINE_UNCONFIRMED = (
    "⚠️ 아직 <b>확정 전(잠정)</b>이에요. 사용자에게 보이는 모든 마감일에 '잠정' 표시가 붙어요. "
    "공고문에서 날짜와 시각을 확인한 뒤 <code>/set_deadline {example}</code> 처럼 보내 확정해 주세요."
)
RELOAD_FAILED = "자료 파일에 문제가 있어 이전 자료를 계속 사용합니다.\n<code>{error}</code>"

# -- reliability -------------------------------------------------------------------------------------
BROADCAST_STALLED = (
    "⏸ 공지 #{id} 발송이 잠시 멈췄어요 {sent:,} / {total:,} · 실패 {failed:,}\n"
    "원인: {reason} ({duration}째). 문제가 풀리면 자동으로 이어서 보내요."
)
STALL_REASONS = {
    "locked": "데이터베이스가 다른 작업에 잠겨 있음",
    "disk_full": "저장 공간 부족",
    "io_error": "디스크 읽기·쓰기 오류",
    "read_only": "데이터베이스에 쓸 수 없음(읽기 전용)",
    "network": "텔레그램 연결 오류",
    "error": "예상하지 못한 오류(로그 확인 필요)",
}
BROADCAST_ALREADY_SENT = "이 공지는 이미 #{id}(으)로 접수됐어요. 한 번만 보내요."
STAFF_PRIVATE_ONLY = "센터 담당자 명령은 봇과의 1:1 대화에서만 사용할 수 있어요."
SET_DEADLINE_TOO_FAR = "마감 일시는 {years}년 이내로만 정할 수 있어요: {new}"
RELOAD_TRIMMED = "\n…(이하 생략, 전체 내용은 로그에 있어요)"
