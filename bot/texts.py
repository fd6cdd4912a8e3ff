"""Every Korean string a user sees, named in UPPER_SNAKE (center staff's own texts: ``bot/staff_texts.py``).

Strings with ``{}`` fields are ``str.format`` templates; values that came from users must be
HTML-escaped by the caller (replies are sent with parse_mode=HTML).
"""

# -- command menu (setMyCommands) -------------------------------------------------------------------
COMMANDS = [
    ("start", "처음 화면과 메뉴"),
    ("challenges", "선정 과제 보기"),
    ("funding", "지원 기간·금액·분담 비율"),
    ("deadline", "마감일과 신청 방법"),
    ("calc", "분담금 계산 (예: /calc 3억)"),
    ("subscribe", "마감 알림 받기"),
    ("unsubscribe", "마감 알림 끄기"),
    ("settings", "알림 종류·관심 과제 설정"),
    ("privacy", "저장하는 정보 안내"),
    ("delete_me", "내 정보 모두 삭제"),
    ("help", "사용 방법"),
]

# -- buttons ---------------------------------------------------------------------------------------
BTN_CHALLENGES = "📋 선정 과제 보기"
BTN_FUNDING = "💰 지원 내용"
BTN_DEADLINE = "📅 마감일·신청 방법"
BTN_FAQ = "❓ 자주 묻는 질문"
BTN_SUBSCRIBE = "🔔 마감 알림 받기"
BTN_NEXT_ROUND = "🔔 다음 공고 알림 받기"    # after the deadline, instead of BTN_SUBSCRIBE
BTN_UNSUBSCRIBE = "🔕 알림 끄기"
BTN_SETTINGS = "⚙️ 알림 설정"
BTN_BACK = "◀ 뒤로"
BTN_MENU = "🏠 처음으로"
BTN_YES_DELETE = "네, 모두 삭제해 주세요"
BTN_NO = "아니요"
BTN_CONFIRM = "✅ 확인"
BTN_CANCEL = "✖ 취소"
BTN_SEND = "📤 보내기"
BTN_SCHEDULE = "⏰ 예약 발송"
BTN_STOP = "⏹ 중지"
BTN_NONE_OF_THESE = "찾는 내용이 없어요"
BTN_FUNDING_ALL = "💰 지원 내용 전체 보기"
BTN_OTHER_CHALLENGES = "📋 다른 과제 보기"
BTN_ORGANIZERS = "🏢 운영 기관"
BTN_FAQ_CATEGORY = "📂 {category}"

# -- start / help ------------------------------------------------------------------------------------
START = (
    "안녕하세요{name}! 「<b>{program}</b>」 안내 봇입니다.\n\n"
    "{parent} 안에 새로 생긴 부문으로, 대기업이 제시한 {count}개 연구개발 과제를 중소기업이 풀면 "
    "과제당 최대 {months}개월, 최대 {max_total}을 지원받을 수 있어요.\n\n"
    "이 봇에서 할 수 있는 일\n"
    "• 궁금한 점을 그냥 채팅으로 물어보세요. 예: <i>마감 언제예요?</i>, <i>3억이면 우리 부담금은?</i>\n"
    "• 선정 과제, 지원 내용, 마감일을 버튼으로 둘러보세요.\n"
    "{alerts}"
)
START_ALERTS = "• 마감 알림을 신청하면 {deadline} 마감 전에 알려 드려요."
START_ALERTS_CLOSED = (
    "• 이번 공고의 접수는 {deadline}에 마감되었어요. 다음 공고 알림을 신청하면 새 공고가 나올 때 알려 드려요."
)
HELP = (
    "<b>사용 방법</b>\n"
    "궁금한 내용을 평소 말투로 보내 주시면 됩니다. 띄어쓰기나 오타가 있어도 괜찮아요.\n\n"
    "<b>명령어</b>\n"
    "/start - 처음 화면과 메뉴\n"
    "/challenges - 선정 과제 목록\n"
    "/funding - 지원 기간·금액·분담 비율\n"
    "/deadline - 마감일과 신청 방법\n"
    "/calc 금액 - 총 연구개발비로 분담금 계산 (예: /calc 3억)\n"
    "/subscribe - 마감 알림 신청\n"
    "/unsubscribe - 마감 알림 해지\n"
    "/settings - 알림 종류·관심 과제 설정\n"
    "/privacy - 저장하는 정보 안내\n"
    "/delete_me - 내 정보 모두 삭제\n\n"
    "인라인 모드: 다른 대화방에서 <code>@{username} 질문</code> 을 입력하면 답을 바로 공유할 수 있어요."
)
START_NAME = ", {name}님"
MENU_PROMPT = "무엇을 도와드릴까요? 아래 버튼을 누르거나 질문을 입력해 주세요."

# -- browsing ------------------------------------------------------------------------------------------
FAQ_INDEX = "자주 묻는 질문을 주제별로 모았어요. 주제를 골라 주세요."
FAQ_CATEGORY_HEADER = "📂 <b>{category}</b> ({count}개)"
CHALLENGES_HEADER = (
    "<b>「{program}」 과제 {count}개</b>\n"
    "대기업·중견기업(수요처)이 제시한 과제입니다. 과제를 누르면 자세히 볼 수 있어요."
)
CHALLENGE_CARD = (
    "<b>{company}</b>\n"
    "<b>과제명</b>: {title}\n\n"
    "{summary}\n\n"
    "• 지원: 최대 {months}개월, 최대 {max_total}\n"
    "{deadline_line}"
)
CHALLENGE_DEADLINE_LINE = "• 신청 마감: {deadline}"
CHALLENGE_CLOSED_LINE = "• 이번 공고의 접수는 {deadline}에 마감되었어요."
CHALLENGE_LIST_ITEM = "• <b>{company}</b>: {title}"
CHALLENGE_LIST_LINE = "• {company}: {title}"
CHALLENGE_LABEL = "{company} 과제"
FUNDING_CARD = (
    "<b>💰 지원 내용</b>\n"
    "• 지원 기간: 과제당 최대 {months}개월({years})\n"
    "• 지원 규모: 과제당 최대 {max_total}의 연구개발 자금\n\n"
    "<b>총 연구개발비 분담</b>\n"
    "• 정부: {gov_pct}% 이내 (최대 {gov_max})\n"
    "• 수요처(대기업): {demand_pct}% 이상 (최소 {demand_min})\n"
    "• 중소기업(주관기관): {sme_pct}% 이상 (최소 {sme_min})\n"
    "괄호 안 금액은 최대 규모 {max_total} 기준입니다.\n\n"
    "다른 금액으로 계산해 보려면 <code>/calc 3억</code> 처럼 보내 주세요."
)
DEADLINE_CARD = (
    "<b>📅 신청 마감</b>: {deadline}\n"
    "{status}\n"
    "{note}\n\n"
    "<b>신청 방법</b>\n{how}\n"
    "• 접수처: {system}\n\n"
    "<b>준비 서류</b>\n{documents}"
)
DEADLINE_CARD_CLOSED = (
    "<b>📅 이번 공고 접수 마감</b>: {deadline}\n"
    "{status}\n"
    "{note}\n\n"
    "{next_round}"
)
# The deadline until staff confirm date and time (set_deadline or deadline_confirmed_by/_at in program.yaml).
PROVISIONAL_MARK = " (잠정, 센터 확정 전)"
DEADLINE_NOTE_AS_WRITTEN = (
    "안내 자료(기사)에는 접수 기한이 '{written}'라고만 나와 있어요. 이 봇이 안내하는 마감 일시({deadline})는 "
    "연도·월·요일과 시각까지 센터가 확정하기 전의 잠정 일정이니, 공고문에서 꼭 확인해 주세요."
)
DEADLINE_NOTE_PROVISIONAL = (
    "이 봇이 안내하는 마감 일시({deadline})는 센터가 확정하기 전의 잠정 일정이니, "
    "공고문에서 꼭 확인해 주세요."
)
DEADLINE_NOTE_CONFIRMED = "마감 일시({deadline})는 센터에서 확정한 일정이에요."
DEADLINE_CLOSED = "이번 공고의 접수는 {deadline}에 마감되었습니다."
DEADLINE_TODAY = "오늘이 마감일(D-day)입니다. 마감까지 약 {remain} 남았습니다."
DEADLINE_TODAY_PROVISIONAL = "오늘이 잠정 마감일(D-day)입니다. 잠정 마감 시각까지 약 {remain} 남았습니다."
DEADLINE_DAYS_LEFT = "오늘 기준 D-{n}, 마감까지 {n}일 남았습니다."
DEADLINE_DAYS_LEFT_PROVISIONAL = "오늘 기준 D-{n}, 잠정 마감일까지 {n}일 남았습니다."
NEXT_ROUND_HINT = (
    "다음 공고가 나오면 알림을 받으시려면 '🔔 다음 공고 알림 받기' 버튼을 누르거나 /subscribe 를 보내 주세요."
)

# -- funding calculator ------------------------------------------------------------------------------------
CALC_RESULT = (
    "<b>총 연구개발비 {total} 기준 분담금</b>\n"
    "• 정부 지원: 최대 {gov}  ({gov_pct}% 이내)\n"
    "• 수요처 부담: 최소 {demand}  ({demand_pct}% 이상)\n"
    "• 중소기업 부담: 최소 {sme}  ({sme_pct}% 이상)"
)
CALC_OVER_CAP = (
    "말씀하신 {asked}은 과제당 최대 지원 규모인 {cap}(3.5억 원)을 넘습니다. "
    "지원 한도인 {cap}으로 계산해 드릴게요.\n\n"
)
CALC_FOOTER = "\n\n비율은 총 연구개발비 기준이며, 정확한 금액은 공고문과 협약 내용을 따릅니다."
DDAY_FROM = "{ref} 기준으로 신청 마감({deadline})까지 <b>{n}일</b> 남았습니다(D-{n})."
DDAY_SAME_DAY = "{ref}이 바로 신청 마감일(D-day)입니다. 마감 일시는 {deadline}이에요."
DDAY_AFTER = "{ref}은 신청 마감({deadline}) 이후라서 그날에는 접수할 수 없어요."
DDAY_FROM_PROVISIONAL = (
    "{ref} 기준으로 마감 {deadline}까지 <b>{n}일</b> 남았습니다(D-{n}). "
    "잠정 날짜로 센 값이라, 센터가 마감 일시를 확정하면 달라질 수 있어요."
)
DDAY_SAME_DAY_PROVISIONAL = "{ref}이 잠정 마감일(D-day)이에요. 마감 일시: {deadline}"
DDAY_AFTER_PROVISIONAL = (
    "{ref}은 마감 {deadline} 이후예요. 마감 일시가 확정되기 전이니 공고문에서 꼭 확인해 주세요."
)
CALC_USAGE = "금액을 함께 보내 주세요. 예: <code>/calc 3억</code>, <code>/calc 2억 5천</code>, <code>/calc 350,000,000원</code>"
CALC_BAD_AMOUNT = "금액을 이해하지 못했어요. <code>/calc 3억</code> 또는 <code>/calc 250,000,000원</code> 처럼 보내 주세요."

# -- answers -------------------------------------------------------------------------------------------------
FALLBACK = (
    "죄송해요, 이 질문에는 확실한 답을 찾지 못했어요.\n"
    "이 중에 찾으시는 내용이 있나요?"
)
FALLBACK_NO_SUGGESTIONS = "죄송해요, 이 질문에는 확실한 답을 찾지 못했어요."
ASK_PERSON = (
    "\n\n사람에게 직접 물어보시려면: {contact}"
)
NOT_STATED = (
    "이 사업에 관한 질문이지만, 안내 자료(기사)에는 그 내용이 나와 있지 않아요.\n"
    "기사에 나온 것은 10개 과제와 지원 기간·금액·분담 비율, 신청 마감과 방법이에요."
)
OUT_OF_SCOPE = (
    "죄송해요, 저는 「{program}」 안내만 도와드릴 수 있어서 이 질문에는 답을 드리기 어려워요.\n"
    "과제, 지원 금액·비율, 마감일, 신청 방법에 대해 물어봐 주세요."
)

# -- small talk ------------------------------------------------------------------------------------------------
SMALLTALK_GREETING = (
    "안녕하세요! 「{program}」 안내 챗봇이에요.\n"
    "마감일, 지원 금액·분담 비율, 10개 과제, 신청 방법을 물어보시면 바로 답해 드릴게요. "
    "예: <i>마감 언제예요?</i>, <i>저희는 물류 센서 회사인데 맞는 과제 있어요?</i>"
)
SMALLTALK_THANKS = "도움이 되었다니 다행이에요. 더 궁금한 점이 생기면 언제든 물어봐 주세요."
SMALLTALK_IDENTITY = (
    "저는 「{program}」 안내 챗봇이에요(사람이 아니에요). "
    "공개된 안내 자료를 바탕으로 과제, 지원 내용, 마감일, 신청 방법을 알려 드리고, 마감 알림도 보내 드려요."
)
SMALLTALK_CAPABILITY = (
    "이런 걸 도와드릴 수 있어요.\n"
    "• 10개 과제 소개와 우리 회사 기술에 맞는 과제 찾기\n"
    "• 지원 기간·금액, 정부·수요처·중소기업 분담 계산 (예: <i>2억이면 우리 부담은?</i>)\n"
    "• 마감일과 신청 방법, 준비 서류\n"
    "• 마감 알림 신청 (/subscribe)"
)
SMALLTALK_ACK = (
    "네! 더 궁금한 점이 있으면 편하게 물어봐 주세요. "
    "예: <i>마감 언제예요?</i>, <i>지원 금액은 얼마예요?</i>, <i>과제 목록 보여줘</i>"
)
SMALLTALK_FEEDBACK = (
    "말씀해 주셔서 고마워요. 되도록 짧고 쉬운 말로 답해 드릴게요. "
    "궁금한 점을 한 가지씩 편하게 물어봐 주세요. 예: <i>마감 언제예요?</i>, <i>우리 부담은 몇 %예요?</i>"
)
SMALLTALK_BYE = "감사합니다. 준비 잘 하시고, 궁금한 점이 생기면 언제든 다시 찾아 주세요!"

# -- composed answers --------------------------------------------------------------------------------------------
COMPANY_CHALLENGE = "<b>{company}</b> 과제: 「{title}」"
ORG_HEADER = "「{program}」에서 말씀하신 기관의 역할이에요."
ORG_ROLE = "• <b>{name}</b>: {role}"
NOT_AMONG_TEN = (
    "{names}{josa} 이번 {count}개 과제를 낸 기업에 없어요. 과제를 낸 기업은 {companies}이에요."
)
CLAIM_OTHER_COMPANY = "말씀하신 과제는 {company}{josa} 아니라 <b>{other}</b>의 과제예요: 「{title}」."
QUESTIONS_LEFT_OUT = "질문이 많아서 나머지 {count}개에는 답하지 못했어요. 몇 개씩 나눠서 다시 물어봐 주세요."
TECH_MATCH = "말씀하신 내용과 가까운 과제예요."
TECH_MATCH_COUNT = "말씀하신 내용과 가까운 과제는 {count}개예요."
TECH_MATCH_SHARE = "말씀하신 내용과 가까운 과제는 전체 {total}개 중 {count}개로, {pct}%예요."
TECH_MATCH_NONE = "말씀하신 내용과 딱 맞는 과제는 없어 보여요. 전체 {count}개 과제를 보여 드릴게요."
CENTRES_NOT_AMONG = "{names}{josa} 과제 발굴에 함께한 창조경제혁신센터 {count}곳({regions})에 포함되지 않아요."
CENTRES_AMONG = "{names}{josa} 과제 발굴에 참여한 창조경제혁신센터 {count}곳({regions})에 포함돼요."
OTHER_ORG = "{names}{josa} 기사에서 이 사업을 운영하는 기관으로 나오지 않아요."
PARTY_GOV = "정부 지원"
PARTY_DEMAND = "수요처 부담"
PARTY_SME = "중소기업 부담"
PARTY_TOTAL = "총 연구개발비"
CALC_PER_MONTH = (
    "<b>한 달 기준으로 나누면</b>\n"
    "{party} {total}을 {months}개월로 나누면 한 달에 약 <b>{per_month}</b>이에요. "
    "(계산상 평균일 뿐, 실제 집행 방식은 자료에 나와 있지 않아요.)"
)
CALC_PER_SPAN = (
    "<b>{span_name} 기준으로 나누면</b>\n"
    "{total}을 {months}개월 동안 똑같이 쓴다고 치면, {span_name}({span}개월)마다 약 <b>{amount}</b>이에요. "
    "(계산상 평균일 뿐, 실제 집행 방식은 자료에 나와 있지 않아요.)"
)
CALC_TOTAL = (
    "<b>{n}개 과제 기준</b>\n"
    "과제 하나당 {party} {per}씩, {n}개면 최대 <b>{total}</b>이에요. "
    "다만 한 기업이 여러 과제를 함께 맡을 수 있는지는 자료에 나와 있지 않아요."
)
CALC_RATIO = (
    "<b>과제 수 비율</b>\n"
    "약 {found}개 과제를 발굴해 {chosen}개를 최종 선정했으니, <b>{percent}</b>({fraction})가 선정된 셈이에요. "
    "발굴한 과제와 선정된 과제는 <b>{ratio}</b>의 비율이에요."
)
CALC_DIFFERENCE = (
    "<b>과제 수</b>\n"
    "약 {found}개 과제를 발굴해 {chosen}개를 최종 선정했으니, 약 <b>{rest}개</b>({rest_pct})는 최종 선정되지 않았어요."
)
CALC_PER_CENTRE_CHOSEN = (
    "<b>센터당 평균</b>\n"
    "최종 선정된 {chosen}개 과제를 참여한 창조경제혁신센터 {centres}곳으로 나누면, 한 곳당 평균 약 <b>{per}개</b>예요. "
    "(센터별로 몇 개가 선정됐는지는 자료에 나와 있지 않아요.)"
)
CALC_CENTRES_LEFT = (
    "<b>참여 센터 수</b>\n"
    "과제 발굴에 참여한 창조경제혁신센터는 {centres}곳이에요. 말씀하신 {named} 센터를 빼면 <b>{left}곳</b>이 남아요."
)
CALC_PER_CENTRE = (
    "<b>센터당 평균</b>\n"
    "창조경제혁신센터 {centres}곳이 약 {found}개 과제를 발굴했으니, 한 곳당 평균 약 <b>{per}개</b>예요. "
    "(센터별 실제 개수는 자료에 나와 있지 않아요.)"
)
CALC_HALF_PERIOD = "최대 지원 기간 {months}개월의 절반은 <b>{half}개월</b>이에요."
CALC_HALF_AMOUNT = ("{party} {total}을 {months}개월 동안 똑같이 쓴다고 치면, {half}개월까지는 <b>{amount}</b>이에요. "
                    "(계산상 평균일 뿐, 실제 집행 방식은 자료에 나와 있지 않아요.)")
CALC_PART_AMOUNT = ("{party} {total}을 {months}개월 동안 똑같이 쓴다고 치면, 처음 {part}개월 동안은 <b>{amount}</b>이에요. "
                    "(계산상 평균일 뿐, 실제 집행 방식은 자료에 나와 있지 않아요.)")
CALC_MONTHS_TOTAL = (
    "<b>월 금액 × 개월 수</b>\n"
    "한 달에 {per}씩 {months}개월이면 모두 <b>{total}</b>이에요. {limit}"
)
CALC_WITHIN = "과제당 총 연구개발비 상한 {max_total} 안이에요."
CALC_OVER = "과제당 총 연구개발비 상한 {max_total}을 넘어요."
CALC_REST_AMOUNTS = "총 연구개발비 {total} 기준으로는 {amounts}이에요."
CALC_AT_MOST = "최대"
CALC_AT_LEAST = "최소"
CALC_INVERSE = (
    "<b>총 연구개발비 역산</b>\n"
    "{party}이 {amount}이고 그 비율이 {pct}%라면, 총 연구개발비는 <b>{total}</b>이에요. "
    "(총액은 과제당 최대 3억 5천만 원까지예요.)"
)
CALC_REST_WHO = (
    "<b>나머지는 누가 내나요</b>\n"
    "{party} {pct}%를 빼면 나머지 <b>{rest_pct}%</b>는 {others}{particle} 나눠 부담해요."
)
CALC_REMAINDER = (
    "<b>나머지 계산</b>\n"
    "총 {total} 중 {given}%를 빼면 나머지 {rest_pct}%는 <b>{rest}</b>이에요."
)
CALC_RATIO3 = (
    "<b>세 기관의 분담 비율</b>\n"
    "정부 {gov}% 이내, 수요처 {demand}% 이상, 중소기업 {sme}% 이상이라, 한도대로 나누면 <b>{ratio}</b>이에요. "
    "(정부 몫은 상한이고, 수요처와 중소기업 몫은 하한이에요.)"
)
CALC_TIMES = (
    "<b>분담 비율 비교</b>\n"
    "{a} {a_pct}%는 {b} {b_pct}%의 <b>{times}배</b>예요(비율로는 {ratio}). "
    "총 연구개발비 {total} 기준으로는 {a} {a_amount}, {b} {b_amount}이에요."
)
CALC_GAP = (
    "<b>분담 비율의 차이</b>\n"
    "{a} {a_pct}%와 {b} {b_pct}%의 차이는 {gap}%포인트예요. "
    "총 연구개발비 {total} 기준으로는 <b>{amount}</b> 차이가 나요."
)
CALC_PERCENT = "{amount}의 {pct}%는 <b>{result}</b>이에요.{owner}"
CALC_PERCENT_OWNER = " 이 금액이 총 연구개발비라면 {party}({pct}%)에 해당하는 금액이에요."
OTHER_THAN = "{names} 말고 다른 과제들이에요."
CALC_SHARES = (
    "<b>분담 비율 합계</b>\n"
    "{named}의 합은 <b>{sum_pct}%</b>예요. 나머지 <b>{rest_pct}%</b>는 {rest}이에요.{amounts}\n"
    "(정부는 {gov_pct}% 이내, 수요처는 {demand_pct}% 이상, 중소기업은 {sme_pct}% 이상이에요.)"
)
CENTRES_IN_GROUP = ("과제 발굴에 참여한 창조경제혁신센터 {count}곳({regions}) 가운데 {group}에 있는 곳은 "
                    "<b>{names}</b>{copula}({count}곳 중 {n}곳, {pct}%).")
NONE_OF_THEM = "없음"
TITLES_ENDING = "{total}개 과제명 가운데 '{term}'{ro} 끝나는 과제는 <b>{count}개</b>예요."
TITLES_WITH = "{total}개 과제명 가운데 '{term}'{iga} 들어간 과제는 <b>{count}개</b>예요."
SAME_COMPANY = "말씀하신 두 이름은 모두 {company} 과제를 가리켜요. 과제는 하나예요."
COMPANY_COUNT = "{company}{josa} 낸 과제는 {count}개예요."
CALC_PARTY_AT_MAX = ("최대 금액 {total} 기준으로 {party}은 {limit} <b>{amount}</b>이에요. "
                     "(총 연구개발비의 {pct}% {bound}.)")
CHECK_HEAD = "<b>말씀하신 숫자를 확인했어요</b>"
CHECK_RIGHT = "맞아요"
CHECK_WRONG = "아니에요"
CHECK_SHARE = "• {party} {said}%: {verdict}. {party}은 총 연구개발비의 {pct}% {bound}({total} 기준 {amount})."
CHECK_SHARE_ALONE = "• {party} {said}%: {verdict}. {party}은 총 연구개발비의 {pct}% {bound}."
CHECK_WITHIN = "이내예요"
CHECK_AT_LEAST = "이상이에요"
CHECK_MONTHS = "• {said}개월: {verdict}. 개발 기간은 최대 {months}개월이에요."
CHECK_MONEY = "• {said}: {verdict}. 과제당 최대 {total}이에요."
CHECK_DAY = "• {said}일: {verdict}. 신청 마감은 {deadline}이에요."
CALC_OVER_MONTH = "{months}개월로 고르게 나누면 한 달에 약 <b>{amount}</b>이에요."
CALC_OVER_SPAN = "{months}개월 동안 고르게 쓰면 {span_name}({span}개월)마다 약 <b>{amount}</b>이에요."
CALC_OVER_MONTHS = "{months}개월 동안 고르게 쓰면 처음 {part}개월 동안 약 <b>{amount}</b>이에요."
CALC_SHARES_AMOUNTS = " 총 연구개발비 {total} 기준으로는 합계 <b>{sum}</b>, 나머지 {rest}이에요."
NONE_OF_THESE = "알려 주셔서 감사합니다. 질문을 담당자가 확인해 더 나은 답을 준비하겠습니다.{contact}"
TOO_LONG = (
    "메시지가 너무 길어요({length:,}자). 궁금한 점을 {limit}자 이내로 짧게 보내 주시면 더 정확히 답해 드릴게요."
)
NON_TEXT = (
    "사진·스티커·음성·파일은 아직 이해하지 못해요. 궁금한 점을 글자로 보내 주세요.\n"
    "예: <i>마감 언제예요?</i>, <i>LG전자 과제 뭐예요?</i>, <i>3억이면 정부 지원금은?</i>"
)
UNKNOWN_COMMAND = "알 수 없는 명령어예요. /help 에서 사용할 수 있는 명령어를 확인해 주세요."
STALE_BUTTON = "이 버튼은 더 이상 사용할 수 없어요. /start 로 메뉴를 다시 열어 주세요."
ERROR = "잠시 문제가 생겼어요. 조금 뒤에 다시 시도해 주세요."
INLINE_CALC_TITLE = "💰 분담금 계산"
INLINE_DEADLINE_TITLE = "📅 신청 마감 {deadline}"
INLINE_CLOSED_TITLE = "📅 이번 공고 접수 마감"
INLINE_NO_RESULT = "알맞은 답을 찾지 못했어요"

# -- subscriptions ----------------------------------------------------------------------------------------------
SUBSCRIBED = (
    "🔔 마감 알림을 신청했어요.\n"
    "다음 알림: <b>{next_reminder}</b>\n"
    "신청 마감: {deadline}\n\n"
    "/settings 에서 받을 알림과 관심 과제를 고를 수 있어요. 해지하려면 /unsubscribe 를 보내 주세요."
)
SUBSCRIBED_NO_MORE = (
    "🔔 마감 알림을 신청했어요.\n"
    "다만 이번 마감({deadline})을 앞둔 알림은 모두 지나서 더 보낼 알림이 없어요. "
    "일정이 바뀌거나 공지가 있으면 알려 드릴게요."
)
NEXT_ROUND_SUBSCRIBED = (
    "🔔 다음 공고 알림을 신청했어요.\n"
    "이번 공고의 접수는 {deadline}에 마감되었어요. 센터가 다음 공고를 올리면 한 번 알려 드리고, "
    "그 뒤로는 새 마감일에 맞춰 마감 알림을 보내 드릴게요.\n"
    "그만 받으시려면 /unsubscribe 를 보내 주세요."
)
NEXT_ROUND_ALREADY = "이미 다음 공고 알림을 신청하셨어요. 센터가 다음 공고를 올리면 알려 드릴게요."
ALREADY_SUBSCRIBED = "이미 마감 알림을 받고 계세요. 다음 알림: <b>{next_reminder}</b>"
ALREADY_SUBSCRIBED_NO_MORE = "이미 마감 알림을 받고 계세요. 이번 마감 전 알림은 모두 발송되었어요."
UNSUBSCRIBED = "🔕 마감 알림을 해지했어요. 다시 받으시려면 /subscribe 를 보내 주세요."
NOT_SUBSCRIBED = "현재 알림을 받고 있지 않아요. 받으시려면 /subscribe 를 보내 주세요."
SETTINGS = (
    "<b>⚙️ 알림 설정</b>\n"
    "받을 알림과 관심 과제를 눌러 켜고 끌 수 있어요. 관심 과제를 고르면 해당 과제 소식을 골라서 보내 드려요.\n"
    "회사 이름: {company}\n"
    "회사 이름을 남기려면 <code>/company 회사이름</code> 을 보내 주세요."
)
SETTINGS_NOT_SUBSCRIBED = "알림 설정은 구독자만 할 수 있어요. 먼저 /subscribe 로 알림을 신청해 주세요."
SETTINGS_NO_COMPANY = "(없음)"
SLOT_HOURS_BEFORE = "마감 {hours}시간 전"
SLOT_DEADLINE_DAY = "마감 당일 {when}"
SLOT_DAYS_BEFORE = "마감 {days}일 전 {when}"
SETTINGS_SLOTS = "받을 알림"
SETTINGS_INTERESTS = "관심 과제"
SETTINGS_NEXT_ROUND = "다음 공고 알림 받기"
COMPANY_SAVED = "회사 이름을 <b>{company}</b>(으)로 저장했어요."
COMPANY_CLEARED = "저장된 회사 이름을 지웠어요."
COMPANY_USAGE = "<code>/company 회사이름</code> 처럼 보내 주세요. 지우려면 <code>/company 삭제</code>."
PRIVACY = (
    "<b>개인정보 안내</b>\n"
    "이 봇은 알림을 보내는 데 꼭 필요한 정보만 저장해요.\n"
    "• 마감 알림을 신청하면: 대화방 번호(Telegram chat id), 신청·해지 시각, 고른 알림 종류와 관심 과제, "
    "직접 남기신 회사 이름\n"
    "• 알림·공지 발송 기록: 어떤 메시지를 언제 보냈는지 (같은 알림을 두 번 보내지 않기 위해)\n"
    "• 답하지 못한 질문: 답변을 개선하기 위해 질문 글만 저장하며, 누가 보냈는지는 저장하지 않아요.\n\n"
    "이름·전화번호는 저장하지 않아요. /delete_me 를 보내면 저장된 내 정보를 모두 지울 수 있어요."
)
DELETE_CONFIRM = (
    "저장된 내 정보(알림 신청, 설정, 회사 이름, 발송 기록)를 모두 지울까요? 되돌릴 수 없어요."
)
DELETED = "모든 정보를 삭제했어요. 이용해 주셔서 감사합니다. 다시 알림을 받으시려면 /subscribe 를 보내 주세요."
DELETE_CANCELLED = "삭제를 취소했어요."

# -- reminders -------------------------------------------------------------------------------------------------
REMINDER = (
    "⏰ <b>{dday}</b> 「{program}」 신청 마감 알림\n\n"
    "마감: <b>{deadline}</b>\n"
    "{status}{note}\n\n"
    "<b>신청 방법</b>: {how}\n"
    "접수처: {system}\n\n"
    "<b>준비 서류</b>\n{documents}"
)
REMINDER_NOTE = "\n{note}"
DEADLINE_MOVED = (
    "📢 「{program}」 신청 마감 일시가 바뀌었어요.\n"
    "이전: {old}\n"
    "변경: <b>{new}</b>\n"
    "{note}\n\n"
    "알림도 새 일정에 맞춰 보내 드릴게요."
)
DEADLINE_CONFIRMED = (
    "📢 「{program}」 신청 마감 일시가 확정되었어요.\n"
    "마감: <b>{deadline}</b>\n\n"
    "지금까지 '잠정'으로 안내해 드린 일정을 센터에서 확정했어요. 알림도 이 일정에 맞춰 보내 드릴게요."
)
ROUND_CLOSED = (
    "📭 「{program}」 이번 공고의 접수 마감({deadline})이 지나 마감 알림을 마칩니다.{note}\n\n"
    "다음 공고가 나오면 알려 드릴까요? 원하시면 아래 버튼을 눌러 주세요. "
    "누르지 않으시면 다음 공고 알림은 보내 드리지 않아요."
)
ROUND_OPENED = (
    "📢 「{program}」 새 공고가 나왔어요!\n\n"
    "신청 마감: <b>{deadline}</b>\n"
    "{status}{note}\n"
    "선정 과제 {count}개는 /challenges 에서 볼 수 있어요.\n\n"
    "다음 공고 알림을 신청하셔서 알려 드려요. 마감 알림도 이 일정에 맞춰 보내 드릴게요. "
    "그만 받으시려면 /unsubscribe 를 보내 주세요."
)

# -- durations -------------------------------------------------------------------------------------
DURATION_SECONDS = "{s}초"
DURATION_MINUTES = "{m}분"
DURATION_MINUTES_SECONDS = "{m}분 {s}초"
DURATION_HOURS_MINUTES = "{h}시간 {m}분"

# -- local chat (python -m bot chat) ---------------------------------------------------------------
CHAT_BANNER = (
    "── 로컬 채팅 모드 (Telegram 없이 실제 봇과 대화합니다) ──\n"
    "메시지를 입력하고 Enter. 버튼은 번호를 입력해 누릅니다. 끝내려면 /quit 또는 Ctrl-D.\n"
)
CHAT_STAFF_NOTE = "(센터 담당자 권한으로 접속했습니다. /help 에서 담당자 명령어를 볼 수 있어요.)\n"
CHAT_USER_NAME = "로컬사용자"
CHAT_STAFF_NAME = "센터담당자"
CHAT_BOT = "🤖"
CHAT_BOT_EDITED = "🤖 (수정됨)"

# -- reliability: flood control, groups, repeated taps, a busy database ------------------------------
FLOOD_NOTICE = (
    "메시지가 너무 빠르게 도착하고 있어요. 🙏 {seconds}초 동안은 답하지 않으니, 잠시 뒤에 "
    "천천히 한 번씩 보내 주세요."
)
FLOOD_NOTICE_SHORT = "너무 빠르게 누르고 계세요. 잠시 뒤에 다시 눌러 주세요."
GROUP_ADMIN_ONLY = "그룹의 알림 신청·설정·정보 삭제는 그룹 관리자만 할 수 있어요."
ALREADY_DONE = "이미 처리된 요청이에요."
DB_BUSY = "지금 요청을 저장하지 못했어요. 잠시 뒤에 다시 시도해 주세요."
