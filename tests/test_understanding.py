"""Understanding what an SME asks: entities from the data, intents from the trained model, several
questions in one message, arithmetic, and the kinds of non-answer kept apart.

The questions here were written for these tests (not taken from any benchmark set); each pattern of
issue 11 has its own table. Everything runs on a real SQLite store built from the shipped data.
"""

from __future__ import annotations

import pytest

from bot.config import PROJECT_ROOT, Settings
from bot.core import Core
from bot.entities import EntityExtractor
from bot.korean import respace
from bot.nlu import training_samples
from tests.answering import NOW, ask


# -- 1. a company plus what is asked about it ------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("풀무원 과제 마감 언제예요?", ["배합비", "26일"]),
        ("케이티 과제는 기간이 얼마나 돼요", ["서빙/배송로봇", "14개월"]),
        ("교보는 무슨 과제 제안했어요?", ["프로세스 인텔리전스 플랫폼"]),
        ("현중 과제 정식 명칭 알려주세요", ["CCTV 및 라이다 센서 등을 이용한 출입구 충돌방지시스템"]),
        ("지에스리테일 과제 지원금은 최대 얼마?", ["완전무인매장", "3억 5천만 원"]),
    ],
)
def test_company_and_what_is_asked_about_it(core, question, facts):
    answer, text = ask(core, question)
    assert answer.kind == "answer", (question, answer.kind, text[:120])
    for fact in facts:
        assert fact in text, (question, fact, text[:300])


# -- 2. a described technology or industry -> the matching challenge(s) ------------------------------------
@pytest.mark.parametrize(
    ("question", "company"),
    [
        ("저희는 공장 작업자 쓰러짐을 감지하는 카메라 AI를 개발해요. 맞는 과제 있나요?", "섹타나인"),
        ("아파트 분리배출 쓰레기를 자동으로 골라내는 장비 만드는 회사인데 어디 지원하면 돼요", "SK에코플랜트"),
        ("식당 서빙 로봇 여러 대를 한 번에 관제하는 소프트웨어 하는 스타트업이에요", "KT"),
        ("사용 후 배터리 보관하고 옮기는 물류 솔루션 만들어요 해당 과제 있어요?", "롯데글로벌로지스"),
        # words the model never saw: the challenge data alone decides the fit
        ("저희는 건설현장 지게차 근접 경보 솔루션 개발사인데 어디 맞을까요", "HD현대중공업"),
        # words only a challenge's field terms know (not its keywords, which train the intent model)
        ("우린 초음파로 작업자와 운반 차량 거리를 재는 근접 센서 만들어요 어디 맞아요?", "HD현대중공업"),
        # '견적' is also a staff off-topic term (a consumer's insurance quote)
        ("수리 견적을 사진으로 뽑아주는 차량 손상 인식 AI 만드는 회사예요", "DB손해보험"),
    ],
)
def test_a_described_technology_finds_the_challenge(core, question, company):
    answer, text = ask(core, question)
    assert answer.kind == "answer", (question, text[:120])
    assert company in text, (question, text[:300])


@pytest.mark.parametrize("question", ["중기부가 하는 거 맞아요?", "Is the ministry of SMEs and startups running this?"])
def test_the_ministry_asked_about_without_money_is_its_role_not_the_governments_share(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and "org:mss" in answer.entry_id, (question, answer.entry_id, text[:120])
    # ... while the government's share is asked with a share word
    assert ask(core, "중기부가 몇 프로 내줘요?")[0].entry_id == "faq:gov_share"


@pytest.mark.parametrize("question", ["네이버도 있음?", "카카오도 있어요?"])
def test_another_company_also_there_asks_whether_it_is_among_the_ten(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and "10개 과제를 낸 기업에 없어요" in text, (question, answer.kind, text[:120])
    # ... while the asker's own company asks about eligibility
    assert ask(core, "우리 회사도 신청 가능해요?")[0].kind == "not_in_source"


def test_a_share_asked_of_a_party_is_that_partys_share(core):
    answer, text = ask(core, "수요처가 몇 프로 내요?")
    assert answer.entry_id == "faq:demand_share" and "30%" in text, (answer.entry_id, text[:120])


def test_a_limit_word_is_no_subject_of_its_own(core):
    # ('이하', '이상' are no other subject: the question is about a limit on the company's age)
    answer, text = ask(core, "업력 몇 년 이하만 돼요? 우리는 2년 됐어요")
    assert answer.kind == "not_in_source", (answer.kind, text[:120])


@pytest.mark.parametrize("question", ["과제 하나당 중소기업 몇 군데나 뽑아요?", "선정 몇 개 기업임", "몇 개 회사가 붙어요?"])
def test_how_many_companies_are_chosen_is_an_open_question(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source", (question, answer.kind, text[:120])
    # ... while how many challenges were chosen is answered
    answer, text = ask(core, "최종 과제 몇 개 선정됐어요?")
    assert answer.kind == "answer" and "10개" in text


@pytest.mark.parametrize("question", ["연구개발계획서 말고 서류 목록 전부 알려주세요", "제출 서류를 빠짐없이 알려 주시겠습니까?"])
def test_the_full_document_list_is_an_open_question(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source", (question, answer.kind, text[:120])
    # ... while the challenge list in full is answered
    assert ask(core, "10개 과제 전체 목록 보여줘")[0].kind == "answer"


@pytest.mark.parametrize("question", ["내년 공고는 대략 언제쯤 나오나요?", "다음 과제 목록은 언제 공개돼요?"])
def test_when_asked_of_an_entry_that_gives_no_date_is_an_open_question(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source", (question, answer.kind, text[:120])


@pytest.mark.parametrize(("question", "fact"), [("수요처가 최소로 내야 하는 금액은 얼마예요?", "30%"),
                                                ("정부가 최대로 내주는 돈은 얼마예요?", "60%")])
def test_the_share_of_the_party_named_is_answered(core, question, fact):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and fact in text, (question, answer.entry_id, text[:200])


def test_doing_another_programme_alongside_this_one_is_an_open_question(core):
    # another programme named first, then doing both: whether one may, which the source leaves open
    answer, text = ask(core, "창업도약패키지 협약 기간 중인 회사인데 동시에 이것도 신청 가능해요?")
    assert answer.kind == "not_in_source", (answer.kind, text[:120])
    # ... while that programme's own dates stay off-topic
    answer, text = ask(core, "창업도약패키지 선정 발표 언제 나와요")
    assert answer.kind == "out_of_scope", (answer.kind, text[:120])


def test_a_task_request_in_formal_words_is_out_of_scope(core):
    answer, text = ask(core, "가을을 주제로 시 한 편 지어 주시겠습니까?")
    assert answer.kind == "out_of_scope", (answer.kind, text[:120])


@pytest.mark.parametrize(
    ("question", "company"),
    [
        # no cue words ('저희는', '맞는 과제'): a sentence telling what the asker does or has, then maybe a question
        ("매대 위 카메라로 손님이 고른 물건을 인식해서 계산대 없이 결제까지 해요", "GS리테일"),
        ("사진 몇 장으로 차량 파손 부위를 찾아 수리 견적까지 내는 앱 개발중", "DB손해보험"),
        ("맛 데이터 넣으면 ML로 소스 배합을 추천해주는 엔진 있어요. 식품 쪽에도 될까요", "풀무원"),
    ],
)
def test_a_company_telling_what_it_does_finds_the_challenge(core, question, company):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and company in text, (question, answer.kind, text[:200])


@pytest.mark.parametrize("question", ["도커 컨테이너 안에서 GPU 안 잡혀요", "Jetson Orin 국내 재고 있는 곳 아세요"])
def test_a_complaint_or_a_shopping_question_tells_nothing_about_the_company(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "out_of_scope", (question, answer.kind, text[:120])


def test_a_company_set_aside_is_left_out(core):
    answer, text = ask(core, "교보생명 말고 보험 쪽 과제 또 있어요?")
    assert answer.kind == "answer" and "DB손해보험" in text and "교보생명:" not in text, text[:200]
    answer, text = ask(core, "LG 빼고 다른 과제들 알려줘")
    assert "LG전자 말고" in text and "LG전자:" not in text and "KT:" in text, text[:300]


def test_a_description_sharing_a_word_with_several_challenges_is_no_fit(core):
    answer, text = ask(core, "영어로 번역 좀 해줘: 우리는 혁신적인 중소기업입니다")
    assert answer.kind == "out_of_scope", (answer.kind, text[:200])


def test_an_organisations_name_is_not_a_described_technology(core):
    # the words of SMTECH's full name ('기술개발', '시스템') are in several challenge titles
    answer, text = ask(core, "스마텍에서 접수하는 거 맞죠?")
    assert answer.kind == "answer" and "과제예요" not in text, text[:200]
    assert "종합관리시스템" in text


def test_field_terms_widen_the_match_but_do_not_train_the_intent_model(core):
    content = core.content
    lg = content.challenge("lg")
    assert "누수" in lg.field_terms and "누수" not in lg.keywords
    samples = {text for text, label in training_samples(content) if label == "challenge"}
    assert not any(term in samples for c in content.challenges for term in c.field_terms)
    # ... and an off-topic term stays off-topic when nobody describes a technology
    assert ask(core, "자동차보험 견적 비교 사이트 추천해줘")[0].kind == "out_of_scope"


def test_the_technology_match_comes_from_the_challenge_data(core):
    """No code names a challenge: the matcher ranks whatever challenges.yaml holds."""
    matched = core.answerer.match_challenges("수도꼭지 물 흐름 센서로 전기를 만드는 기술")
    assert matched and matched[0][0].id == "lg"


# -- 3. a company that is not among the ten -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "name", "facts"),
    [
        ("삼성전자 과제는 없나요?", "삼성전자", ["교보생명", "HD현대중공업"]),
        ("네이버도 수요처로 참여해요? 마감은 언제예요?", "네이버", ["26일"]),
        ("KT&G도 과제 냈어요?", "KT&G", ["KT"]),
        ("교보문고 과제도 있어요?", "교보문고", ["교보생명"]),
        ("카카오 과제 지원 기간은 얼마나 돼요?", "카카오", ["14개월"]),   # ... and what is asked about it
    ],
)
def test_a_company_not_among_the_ten_is_named_as_such(core, question, name, facts):
    answer, text = ask(core, question)
    assert answer.kind == "answer", (question, text[:120])
    assert f"{name}" in text and "기업에 없어요" in text, (question, text[:200])
    for fact in facts:
        assert fact in text


def test_a_companys_own_consumer_business_is_out_of_scope(core):
    for question in ("LG 냉장고 AS 신청하려면 어디로 해요?", "교보생명 종신보험 가입할까요?", "KT 요금제 추천 좀",
                     "풀무원 찌개 두부 유통기한", "롯데글로벌로지스 택배 파업 소식"):
        answer, text = ask(core, question)
        assert answer.kind == "out_of_scope" and answer.abstained, (question, text[:120])


# -- 4. several questions in one message --------------------------------------------------------------------------
def test_two_coordinated_questions_get_one_reply_with_both(core):
    answer, text = ask(core, "마감일하고 제출 서류 둘 다 알려주세요")
    assert answer.kind == "answer"
    assert "26일" in text and "연구개발계획서" in text
    assert {"faq:deadline", "faq:documents"} <= set(answer.entry_id.split(","))


def test_a_long_message_with_greeting_background_and_three_questions(core):
    question = (
        "안녕하세요! 저희는 직원 열 명 남짓한 AI 스타트업입니다.\n"
        "1) 정부 지원 비율이 몇 %인지\n2) 개발 기간은 최대 몇 개월인지\n3) 어디에 접수하는지 궁금합니다."
    )
    answer, text = ask(core, question)
    assert answer.kind == "answer"
    for fact in ("60%", "14개월", "종합관리시스템"):
        assert fact in text, (fact, text[:400])
    assert len(answer.entry_id.split(",")) >= 3


def test_a_long_message_typed_without_spaces_gets_every_question_answered(core):
    # (a family company's office manager on a phone: no spaces, no punctuation, two questions and background)
    question = ("안녕하세요저희는김해에서냉동창고랑지게차를운영하는작은회사예요전기차배터리를옮기는과제는어느회사가낸거예요"
                "그리고그과제는신청을어디에서해요")
    answer, text = ask(core, question)
    assert answer.kind == "answer", (answer.kind, text[:200])
    for fact in ("롯데글로벌로지스", "종합관리시스템"):
        assert fact in text, (fact, text[:400])


def test_respacing_puts_words_and_sentences_back(core):
    backend = core.answerer.index.analyzer.backend
    spaced = respace("마감이언제인지궁금한데요그리고서류는뭐를준비해야하는지도알려주세요", backend)
    assert ". 그리고 " in spaced or " 그리고 " in spaced, spaced
    assert "서류는 " in spaced, spaced                      # a word ends after its particle
    assert "이번 달 마감" == respace("이번 달 마감", backend)  # a message with spaces is left as it is
    # an embedded question ('-인지', '-는지') ends a word; a linking ending ('-고') does not
    assert "회사과제인지 " in respace("그게어느회사과제인지하고저희같이작은회사가주관기관으로하면얼마나부담해요", backend)
    assert "입사하고며칠" in respace("신입직원4대보험취득신고는입사하고며칠안에해야돼요", backend)
    assert "3억5천만원" in respace("총사업비가3억5천만원이면우리가내는돈은얼마인가요", backend)  # figures stay whole


# -- 5. abbreviations and aliases; a short word inside a longer one ---------------------------------------------
@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("중기부랑 기정원이 같이 하는 상위 사업 이름이 뭐예요?", ["구매조건부"]),
        ("티파는 이 사업에서 뭐 하는 곳이에요?", ["중소기업기술정보진흥원"]),
        ("인천창경도 과제 발굴에 참여했나요?", ["인천", "포함돼요"]),
        ("광주 혁신센터도 들어가요?", ["포함되지 않아요"]),
        ("이거 중진공 사업이에요?", ["중소벤처기업진흥공단", "나오지 않아요", "중소벤처기업부"]),
    ],
)
def test_aliases_of_organisations_and_centres(core, question, facts):
    answer, text = ask(core, question)
    assert answer.kind == "answer", (question, text[:120])
    for fact in facts:
        assert fact in text, (question, fact, text[:300])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SK는 뭐 냈어요", [("company", "skecoplant")]),
        ("SK매직 과제 있어요?", [("other_company", "SK매직")]),
        ("SKT랑 KT 과제", [("other_company", "SKT"), ("company", "kt")]),
        ("엘지꺼 과제명", [("company", "lg")]),
        ("교보문고랑 교보", [("other_company", "교보문고"), ("company", "kyobo")]),
        ("서울창경이랑 중기부", [("org", "seoul_ccei"), ("org", "mss")]),
        ("혁신센터 몇 곳", [("org", "ccei")]),
        ("DBMS 튜닝", []),
        # spaces inside a long name do not hide it; a short one is not pieced together across words
        ("롯데 글로벌 로지스 는 뭐 해달래요", [("company", "lotte")]),
        # ... and not ended inside the next word ('중소기업 부담' is the SME's share, not 중소기업부)
        ("중소기업 부담은 몇 프로", []),
        ("교보 생명이 낸 과제", [("company", "kyobo")]),
        ("교보 생명 과제", [("company", "kyobo")]),
        ("이 마트 가는 길", []),
        # a three-syllable name glued to '과제' and more, typed without spaces
        ("풀무원과제머에요", [("company", "pulmuone")]),
        ("풀무원샘물 배송", []),
    ],
)
def test_entities_match_longest_first_and_short_names_only_as_words(core, text, expected):
    extractor = EntityExtractor(core.content, is_proper=core.answerer.nlu._is_proper)
    assert [(m.kind, m.id) for m in extractor.find(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("교보생멍 과제 뭐예요", [("company", "kyobo")]),           # one letter changed
        ("롯대글로벌 과제!!", [("company", "lotte")]),
        ("에스케이 에코플렌트 거는?", [("company", "skecoplant")]),  # written apart, one letter changed
        ("현대중공엄과제는", [("company", "hdhhi")]),                # glued to '과제' and a particle
        ("풀무언 과제 이름", [("company", "pulmuone")]),             # a three-syllable name: a changed vowel ...
        ("지에서 연락이 왔어요", []),                                 # ... in a word of nouns only ('지' + '에서')
        ("중소벤처기엽부 사업", [("org", "mss")]),
        ("교보문고 가는 길", [("other_company", "교보문고")]),        # spelt right: another company, not 교보생명
        ("HD현대로보틱스 과제", [("other_company", "HD현대로보틱스")]),  # a longer name of another company
    ],
)
def test_a_misspelt_name_one_letter_away_is_found(core, text, expected):
    assert [(m.kind, m.id) for m in core.answerer.nlu.extractor.find(text)] == expected


@pytest.mark.parametrize(("question", "fact"), [("교보생멍 과제는 머예요?", "프로세스 인텔리전스"),
                                                ("롯대글로벌 과제!!", "EV배터리")])
def test_a_misspelt_company_gets_its_challenge(core, question, fact):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and fact in text, (question, answer.kind, text[:200])


def test_long_messages_are_not_kept_in_the_normalisation_cache():
    from bot import korean

    before = korean.normalize.cached.cache_info().currsize
    long_text = "마감 언제예요 " * 400  # (a 4,096-character message each time would make the cache a memory cost)
    assert korean.normalize(long_text) == long_text.strip()
    assert korean.normalize.cached.cache_info().currsize == before
    korean.normalize("짧은 질문 하나요")
    assert korean.normalize.cached.cache_info().currsize == before + 1


def test_a_jamo_typed_alone_stays_the_keyboards_jamo():
    from bot.korean import normalize

    # NFKC would make 'ㅠ' a conjoining jamo, which no pattern written with the keyboard's jamo matches
    assert normalize("조사하래서요 ㅠ ㄹㅇ? ＡＢ") == "조사하래서요 ㅠ ㄹㅇ? ab"


@pytest.mark.parametrize(("question", "entry"), [("수요처인 대기업의 부담 비율은 이상으로 규정되어 있습니까?", "faq:demand_share"),
                                                 ("검증 같은 거 했습니까?", "faq:verification")])
def test_a_formal_question_ending_is_no_nod(core, question, entry):
    # ('-습니까' shares its letters with '알겠습니다', a nod: the ending is left out of the letters the model reads)
    answer, text = ask(core, question)
    assert (answer.kind, answer.entry_id) == ("answer", entry), (question, answer.kind, answer.entry_id)


@pytest.mark.parametrize("question", ["육아휴직 급여 신청 절차랑 필요 서류 알려주세요", "디비 손보 자동차보험 갱신 싸게 하는 법"])
def test_an_off_topic_subject_with_an_open_questions_word_inside_is_off_topic(core, question):
    # ('급여' is a trigger of the open question on spending rules, here a parental-leave benefit's)
    answer, text = ask(core, question)
    assert answer.kind == "out_of_scope", (question, answer.kind, text[:120])


def test_an_introduction_naming_an_off_topic_word_does_not_rule_the_message_out(core):
    # ('인턴' is a staff-listed off-topic subject: hiring an intern), here only who asks
    answer, text = ask(core, "ㅎㅇ 저 핀테크 스타트업 인턴인데 팀장님이 조사하래서요 ㅠ 1. 최대 금액 2. 기간 3. 마감 4. 어디서 신청? ㄱㅅ")
    assert answer.kind == "answer", (answer.kind, text[:120])
    for fact in ("3억 5천만 원", "14개월", "26일", "종합관리시스템"):
        assert fact in text, (fact, text[:500])
    # ... while a question about that subject stays off-topic
    assert ask(core, "인턴 채용 공고 어디에 올려요?")[0].kind == "out_of_scope"


def test_typos_are_corrected_to_nouns_only(core):
    analyzer = core.answerer.index.analyzer
    assert analyzer.prepare("셔류는 뭐 내요").startswith("서류")        # a one-letter slip in a noun of the domain
    assert analyzer.prepare("없으면 어떡해요").startswith("없으면")     # an everyday word is not a typo of a verb
    # a word the analyser knows as a longer noun is not cut at a slip-looking prefix ('인테' ~ '인텔')
    assert analyzer.prepare("매장 인테리어를 새로 안 해도 돼요").split(" ")[1] == "인테리어를"


# -- 6. arithmetic beyond the three shares -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("두 과제 다 최대로 받으면 총 얼마예요?", "7억 원"),
        ("최대 금액이면 한 달에 얼마꼴로 쓰는 셈이에요?", "2,500만 원"),
        ("정부 지원금만 월평균으로 치면 얼마예요", "1,500만 원"),
        ("발굴된 과제 중 몇 퍼센트가 최종 선정됐어요?", "25%"),
        ("센터 한 곳당 평균 몇 개 과제를 찾은 거예요?", "5개"),
        ("총사업비 3.5억에서 정부가 60% 내면 나머지는 얼마?", "1억 4천만 원"),
        ("우리 부담금을 3천만 원으로 10% 맞추면 총사업비는 얼마예요?", "3억 원"),
        # the named shares added up, and who pays the rest
        ("수요처랑 중소기업 몫 합치면 몇 퍼센트예요?", "40%"),
        ("정부 60에 수요처 30 더하고 남는 건 누구 몫?", "중소기업"),
        ("저희가 최소 10% 부담하면 나머지는 누가 내는 거예요?", "정부 지원 60% 이내, 수요처 부담 30% 이상"),
        ("2억 기준 정부+수요처 합계 금액", "1억 8천만 원"),
        # a share named by its percentage; a share taken off without a percentage
        ("3억 기준 10% 부담을 세 과제면 총 얼마?", "9천만 원"),
        ("최대 금액에서 수요처 최소 부담분 빼면 얼마 남아요?", "2억 4,500만 원"),
        # the article's counts win over a trigger word of an open question
        ("40개 중 10개 뽑았으면 경쟁률로 몇 대 몇?", "4:1"),
        # a percentage of an amount
        ("2억의 30%는 얼마예요?", "6천만 원"),
        # the gap between two shares
        ("수요처 최소 부담이랑 우리 최소 부담 차이는 얼마나 돼요?", "7천만 원"),
        # two shares as a ratio; each of two percentages; a percentage of the maximum budget
        ("수요처 최소랑 우리 최소 비율이 몇 대 몇이에요?", "3:1"),
        ("2억의 60%랑 30%는 각각 얼마?", "1억 2천만 원"),
        ("2억의 60%랑 30%는 각각 얼마? ", "6천만 원"),
        ("저희가 20%를 자부담하면 얼마 내는 거예요?", "7천만 원"),
        # the formal register's words as cue words; a whole number of months
        ("세 과제 모두 상한액이면 국고 보조 총액은?", "6억 3천만 원"),
        ("내 부담 월로 치면", "250만 원(2,500,000원)"),
        # a percentage or a total asked as money, whatever the intent model says
        ("주관기관이 20%를 자기부담할 경우 상한 사업비 기준 자부담액은 얼마입니까?", "7천만 원"),
        ("선정된 과제 전체가 상한액이면 총 사업 규모는 얼마입니까?", "35억 원"),
        # a claimed figure is checked, not computed with
        ("10개 과제 다 합치면 최대 40억이라던데 맞아요?", "35억 원"),
        ("총사업비 2억에 14개월이면 월 집행액 얼마", "1,429만 원"),
        ("자부담 3천만원까지 되면 총사업비 최대 얼마까지 가능해요?", "3억 원"),
        ("발굴된 과제랑 최종 과제 차이가 몇 개예요?", "30개"),
        ("떨어진 과제는 비율로 얼마나 돼요?", "75%"),
        # money named without 'how much' beside a count; counts across places ('3곳')
        ("과제 4개 되면 총 사업비 최대는?", "14억 원"),
        ("10개 과제 수요처 부담 총합 최소는?", "10억 5천만 원"),
        ("협력사 2곳이 각각 하나씩 되면 합산 지원 규모", "7억 원"),
        ("둘 다 붙으면 우리 부담 합계는?", "7천만 원"),
        # a count of the article's numbers beside an open question's word ('탈락')
        ("탈락한 후보 과제 몇 개나 돼요?", "30개"),
        # a figure the user reckons ('… 되네?') is checked, not computed with
        ("3.5억을 14개월로 쪼개면 한 달 3천 되네?", "2,500만 원"),
        # the amount given is already that party's share
        ("수요처 부담금 1억 500만 원을 14개월로 나누면 월 얼마?", "750만 원"),
        # what is left after two percentages named
        ("2억에서 정부 60%랑 수요처 30% 빼면 남는 건 얼마예요?", "2천만 원"),
        # the figures of one computation spread over two pieces
        ("총사업비 2억, 기간 10개월이면 정부 지원금 월 최대 얼마예요?", "1,200만 원"),
        # the article's counts: the chosen challenges per centre, centres left after one, candidates not chosen
        ("선정된 과제 10개를 참여 센터 수로 나누면 한 곳당 몇 개예요?", "1.25개"),
        ("대전 센터 빼면 나머지 참여 센터는 몇 곳?", "7곳"),
        ("발굴된 후보 중에 최종 선정되지 못한 건 몇 개쯤?", "30개"),
    ],
)
def test_arithmetic_on_the_programmes_numbers(core, question, fact):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and answer.form == "calc", (question, answer.kind, text[:120])
    assert fact in text, (question, text[:300])


# -- 7. three kinds of non-answer, kept apart -------------------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    ["예비창업자도 신청할 수 있어요?", "평가 기준이 어떻게 돼요?", "신청 수수료 있나요?", "선정되면 협약은 언제 해요?",
     "자부담 10%를 현물로 내도 되나요?", "이메일로 서류 내도 돼요?", "과제당 몇 개 기업을 뽑아요?",
     "기한 연장 공지 있었나요?", "과제 RFP 파일 받을 수 있어요?", "센터 사무실 주소 알려줘요",
     "우리 회사 연 매출 50억인데 신청 가능?", "과제 하나당 몇 개 회사를 뽑아요? 한 곳만 선정돼요?"],
)
def test_in_scope_but_not_in_the_source(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source" and answer.abstained, (question, answer.kind, text[:120])
    assert "서울창조경제혁신센터" in text  # where to ask a person


@pytest.mark.parametrize("question", ["오늘 날씨 어때요?", "비트코인 지금 사도 돼?", "파이썬 리스트 정렬하는 법",
                                      "스마트공장 지원사업 마감 언제야"])
def test_off_topic_gets_the_scope_message(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "out_of_scope" and answer.abstained, (question, answer.kind, text[:120])
    assert "안내만 도와드릴 수 있어서" in text


@pytest.mark.parametrize(("question", "kind"), [
    ("연말정산 공제 항목 알려줘", "out_of_scope"),   # '정산' (a trigger word) inside a longer word does not count
    ("연구비 정산은 어떻게 해요?", "not_in_source"),   # ... and as a word of its own it does
    ("청년창업사관학교 모집 언제예요", "out_of_scope"),  # the longer staff term wins over a trigger inside it
    # a term begun inside one word and ended in the next is not there ('원재료 비율' holds no '재료비') ...
    ("음료 원재료 비율 자동 추천 AI 만드는 회사예요 맞는 과제 있어요?", "answer"),
    ("재료비로 써도 돼요?", "not_in_source"),
    ("대구에 있는 회사도 신청돼요?", "not_in_source"),   # ... unless it begins with a particle ('에있는회사')
    # '소재' as material, not as location ('부산 소재 기업')
    ("배터리 소재 회사인데 맞는 과제 있을까요", "answer"),
    ("광주 소재 기업도 지원 가능?", "not_in_source"),
])
def test_staff_terms_match_as_words_longest_first(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, text[:120])


def test_a_sure_family_of_answers_outweighs_a_few_unknown_words(core):
    # '결국' and '안사(도)' are nouns the domain never uses, but the exemption entries are sure
    answer, text = ask(core, "구매 의무 면제라서 대기업은 결국 안사도 되는 거죠?")
    assert answer.kind == "answer" and answer.entry_id == "faq:purchase_exemption", (answer.kind, text[:120])


def test_a_count_without_money_is_no_total(core):
    answer, text = ask(core, "10개 회사 전부 말해줘")
    assert answer.form != "calc" and "35억" not in text, (answer.entry_id, text[:120])


def test_a_count_in_an_off_topic_request_is_no_arithmetic(core):
    answer, text = ask(core, "엑셀 시트 세개 vlookup으로 합치는 수식 알려줘")
    assert answer.kind == "out_of_scope", (answer.kind, text[:120])


def test_a_claim_about_the_maximum_is_answered_not_computed(core):
    answer, text = ask(core, "과제당 2억까지라고 들었는데 그거 맞아요?")
    assert answer.kind == "answer" and answer.form != "calc", (answer.form, text[:200])
    assert "3억 5천만 원" in text


def test_chat_tone_in_jamo_does_not_make_a_question_small_talk(core):
    answer, text = ask(core, "이 사업 취지 짧게 정리해줘 ㄱㄱ")
    assert answer.kind == "answer" and answer.entry_id == "faq:purpose", (answer.kind, answer.entry_id, text[:120])


def test_unclear_gets_suggestions_not_the_scope_message(core):
    answer, text = ask(core, "그거 어떻게 되는 거예요?")
    assert answer.kind == "unclear" and answer.abstained
    assert answer.buttons and "안내만 도와드릴 수 있어서" not in text


def test_abstained_is_true_exactly_when_no_answer_was_given(core):
    for question, kind in [("마감 언제예요", "answer"), ("안녕하세요", "smalltalk"), ("날씨 어때", "out_of_scope"),
                           ("업력 3년 이하만 돼요?", "not_in_source"), ("그거 있잖아요 그거", "unclear")]:
        answer, _ = ask(core, question)
        assert answer.kind == kind, (question, answer.kind)
        assert answer.abstained == (kind not in ("answer", "smalltalk"))
        assert answer.as_dict(question)["kind"] == kind


# -- 8. greetings and small talk ----------------------------------------------------------------------------------
@pytest.mark.parametrize("question", ["안녕하세요", "ㅎㅇ", "고마워요!", "너 누구야?", "뭐 물어볼 수 있어요?", "수고하세요",
                                      "이 봇 뭐하는 봇임", "너 이름이 뭐야?"])
def test_small_talk_gets_a_short_warm_reply(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "smalltalk" and not answer.abstained, (question, answer.kind, text[:100])
    assert "확실한 답을 찾지 못했어요" not in text and len(text) < 400


@pytest.mark.parametrize("question", ["넵 알겠습니다", "ㅎㅎ", "👍", "오케이", "잠시만요", "확인"])
def test_a_nod_gets_an_acknowledgement(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "smalltalk" and answer.entry_id == "smalltalk_ack", (question, answer.kind, text[:100])
    assert "물어봐 주세요" in text


def test_a_question_mark_alone_gets_what_the_bot_can_do(core):
    answer, text = ask(core, "??")
    assert answer.kind == "smalltalk" and answer.entry_id == "smalltalk_capability"


def test_a_request_about_something_else_is_not_small_talk(core):
    answer, text = ask(core, "혹시 이력서 첨삭도 해줄 수 있어? 자소서 마감이 내일이야")
    assert answer.kind == "out_of_scope", (answer.kind, text[:120])


def test_a_greeting_with_a_question_answers_the_question(core):
    answer, text = ask(core, "안녕하세요~ 마감이 언제인가요?")
    assert answer.kind == "answer" and "26일" in text
    # a greeting sentence and an introduction before a formal question ('… 여쭙고자 합니다') introduce it
    answer, text = ask(core, "안녕하십니까. 저는 창원에서 금형 회사를 운영하는 대표입니다. 이 사업의 마감일이 언제인지 여쭙고자 합니다.")
    assert answer.kind == "answer" and "26일" in text, (answer.kind, text[:120])


@pytest.mark.parametrize("question", ["자세한 설명에 깊이 감사드립니다.", "친절한 안내에 진심으로 감사드립니다.", "수고하십서예 👋"])
def test_sure_small_talk_in_unseen_words_that_asks_nothing(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "smalltalk", (question, answer.kind, text[:120])


# -- staff teaching retrains the model at once --------------------------------------------------------------------
def test_an_attached_phrasing_retrains_the_intent_model(tmp_path):
    core = Core(Settings(database_path=tmp_path / "bot.db", data_dir=PROJECT_ROOT / "data"))
    try:
        question = "그거 어떻게 되는 거예요?"
        assert core.answer(question, NOW).kind == "unclear"
        assert core.content_manager.attach_phrasing("deadline", question)
        answer = core.answer(question, NOW)
        assert answer.kind == "answer" and answer.entry_id == "faq:deadline"
    finally:
        core.close()


# -- English and mixed messages (founders who write Korean as a second language) ----------------------------------
@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("When is the deadline for applying?", ["26일"]),
        ("Who runs this program?", ["서울창조경제혁신센터"]),
        ("max how many months 지원해요?", ["14개월"]),
        ("Is there a KT robot challenge? summary please", ["서빙/배송로봇"]),
        ("our company makes flow sensors for faucets. which challenge fits us?", ["LG전자"]),
        ("Seoul center role in this program?", ["검증"]),
        # English function words are no features once the question's words are read in Korean ...
        ("How many challenges are there?", ["10"]),
        ("What does Pulmuone want?", ["배합비"]),
        ("ok so what about 마감?", ["26일"]),
        # ... and everyday English words are no subject of their own (only the domain's words, read in Korean)
        ("Who authored the article, and in which outlet was it published?", ["IT동아"]),
        ("Is Samsung one of the companies?", ["Samsung은", "10개"]),
        ("is this different from the usual 구매연계형? do the big cos still have to buy the product after?", ["구매"]),
    ],
)
def test_english_questions_are_understood(core, question, facts):
    answer, text = ask(core, question)
    assert answer.kind == "answer", (question, answer.kind, text[:120])
    for fact in facts:
        assert fact in text, (question, fact, text[:300])


@pytest.mark.parametrize(("question", "kind"), [("Is submission by email or post accepted instead of the online system?",
                                              "not_in_source"),
                                             ("What competition ratio should applicants expect?", "not_in_source"),
                                             ("how to extend D-8 visa", "out_of_scope"),
                                             ("What is HD Hyundai Heavy's current share price?", "out_of_scope"),
                                             ("Write me an email to an investor in English please", "out_of_scope")])
def test_english_open_and_off_topic_questions(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, text[:120])


@pytest.mark.parametrize("question", ["who are you?", "thanks a lot!", "hello", "what can you do?"])
def test_english_small_talk(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "smalltalk", (question, answer.kind, text[:100])


def test_a_short_english_term_is_not_found_inside_other_english_words(core):
    # 'AR' (the DB손해보험 challenge's AR devices) is inside 'are', 'parse' and 'startup'.
    analyzer = core.answerer.index.analyzer
    assert analyzer.prepare("they are parsing") == "they are parsing"
    answer, text = ask(core, "We are a startup that can parse invoices. 맞는 과제 있어요?")
    assert "dbins" not in (answer.entry_id or ""), (answer.entry_id, text[:200])
    assert analyzer.prepare("AR글래스 써요").startswith("ar")  # a particle or Korean word may follow


# -- an everyday procedure word does not make another subject this programme's -------------------------------------
@pytest.mark.parametrize("question", ["운전면허 적성검사 신청 방법", "어린이집 입소 대기 신청 방법"])
def test_a_procedure_of_another_subject_is_out_of_scope(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "out_of_scope", (question, answer.kind, text[:120])


@pytest.mark.parametrize(("question", "fact"), [("지원 기간 며칠이었죠? 요일도요", "14개월"),
                                                ("can I still apply after the deadline?", "26일")])
def test_a_stray_unknown_word_does_not_make_a_sure_question_off_topic(core, question, fact):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and fact in text, (question, answer.kind, text[:120])


def test_a_polite_request_frame_is_not_small_talk(core):
    nlu = core.answerer.nlu
    # the '다' that ends '부탁드립니다' is not the quantifier of '둘 다'
    assert nlu.split("정부 비율. 지원기간 확인 부탁드립니다.")[-1].endswith("부탁드립니다")
    answer, text = ask(core, "기간 확인 부탁드립니다.")
    assert answer.kind == "answer" and "14개월" in text, (answer.kind, text[:120])
    assert ask(core, "잘 부탁드립니다")[0].kind == "smalltalk"


def test_a_trigger_word_inside_another_subject_is_not_an_honest_answer(core):
    # '4대보험' is a staff trigger of the eligibility entry (a headcount rule), but here the subject is payroll.
    answer, text = ask(core, "신입 사원 4대보험 취득신고 방법")
    assert answer.kind == "out_of_scope", (answer.kind, text[:120])
    # ... a workplace ('사업장') is no programme ('사업') that would make it a question about applying here
    answer, text = ask(core, "새로 만든 법인의 4대보험 사업장 가입 신고는 어떻게 하나요?")
    assert answer.kind == "out_of_scope", (answer.kind, text[:120])
    # ... also where the model leans, unsure, to the trigger's entry ('이메일' and the contact entry)
    for question in ("사무실 프린터 스캔본이 이메일로 안 넘어가요 해결법", "해외 바이어한테 보낼 영문 이메일 초안 좀 다듬어 주세요"):
        answer, text = ask(core, question)
        assert answer.kind == "out_of_scope", (question, answer.kind, text[:120])
    # ... while a question about the programme with the same kind of words stays honest
    for question in ("업력 제한 있어요?", "공고문 RFP 파일 어디서 받아요?", "4대보험 가입자 수 요건 있나요?"):
        assert ask(core, question)[0].kind == "not_in_source", question


# -- people the source names ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("question", "entry"), [
    ("김영준 님은 누구예요?", "faq:interviewee"),
    ("who is 김영준?", "faq:interviewee"),
    ("김영준 팀장님 인터뷰에서 뭐라고 하셨는지 요약", "faq:interviewee"),
    ("who is 권택경?", "faq:article_source"),
    ("김영준 팀장 전화번호 알려줘", "faq:contact"),           # reaching a person: the contact entry
    ("센터 담당 팀장님 이름이 뭐예요?", "faq:interviewee"),    # a role the source gives one person
    ("이 기사 쓴 기자가 누구예요", "faq:article_source"),
    ("담당자 이메일 주소 있어요?", "faq:contact"),
    ("기사에 나온 담당자 이름이랑 팀 이름", "faq:interviewee"),
    ("김영준 팀장이 말한 구매 의무 면제 이유가 뭐예요", "faq:why_exemption"),  # surely about something else
])
def test_a_person_named_in_the_source_gets_that_persons_entry(core, question, entry):
    answer, text = ask(core, question)
    assert answer.entry_id == entry, (question, answer.entry_id, text[:120])


def test_an_english_and_and_a_new_question_word_after_a_comparison_split_a_message(core):
    answer, text = ask(core, "When is the deadline and how many months max?")
    assert "26일" in text and "14개월" in text, text[:300]
    answer, text = ask(core, "혁신형이랑 구매연계형은 뭐가 다르고 언제까지 신청해요?")
    assert "면제" in text and "26일" in text, text[:400]
    # a noun ending in '고' ('신고') before a question word is no clause boundary
    assert core.answerer.nlu.split("4대보험 취득신고 어떻게 하나요") == ["4대보험 취득신고 어떻게 하나요"]


def test_four_named_companies_are_all_listed(core):
    answer, text = ask(core, "KT, LG전자, 풀무원, 교보생명 과제명 다 알려줘")
    assert all(f"ch:{cid}" in answer.entry_id for cid in ("kt", "lg", "pulmuone", "kyobo")), answer.entry_id
    assert "서빙/배송로봇" in text and "배합비" in text and "유량" in text and "프로세스 인텔리전스" in text


def test_a_noun_ending_in_the_particle_syllable_is_not_a_coordination(core):
    split = core.answerer.nlu.split
    assert split("선정 결과 발표 언제에요") == ["선정 결과 발표 언제에요"]   # '결과' is one word
    assert split("정부와 수요처 비율") == ["정부", "수요처 비율"]          # '와' is the particle
    answer, text = ask(core, "선정 결과 발표 언제에요")
    assert answer.kind == "not_in_source", (answer.kind, answer.entry_id)


@pytest.mark.parametrize(("question", "entry"), [
    ("이번 상생협력기반 혁신형도전과제의 접수 마감일이 언제인지 정중히 여쭙습니다.", "faq:deadline"),
    ("상생협력기반 혁신형도전과제가 뭐예요?", "faq:what_is_program"),
])
def test_the_programmes_long_name_does_not_outweigh_the_question(core, question, entry):
    answer, text = ask(core, question)
    assert answer.entry_id == entry, (answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "fact"), [
    ("총무팀 알바생입니다. 신청 서류가 뭐예요?", "연구개발계획서"),                         # '알바': a staff off-topic term
    ("대학 연구실에서 창업한 회사예요. 수도꼭지 유량 센서 만드는데 맞는 과제 있나요?", "LG전자"),  # '대학': a trigger word
])
def test_staff_words_in_the_background_before_a_question_do_not_decide_it(core, question, fact):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and fact in text, (answer.kind, text[:150])
    # ... but where they are asked about, they still do
    assert ask(core, "알바 지원은 어디서 해요?")[0].kind == "out_of_scope"
    assert ask(core, "저희는 대학이에요. 대학도 신청 가능해요?")[0].kind == "not_in_source"


def test_a_reason_or_plan_after_a_question_is_not_another_question(core):
    answer, text = ask(core, "개인사업자인데 신청 가능해요? 내년 초에 법인 전환할 예정이에요")
    assert answer.kind == "not_in_source" and answer.entry_id == "faq:eligibility", (answer.kind, answer.entry_id)


@pytest.mark.parametrize(("question", "entry"), [
    ("제출 서류 하나하나 전부 다 알려주세요", "faq:document_list"),
    ("재무제표랑 납세증명서 같은 것도 내나요?", "faq:document_list"),
    ("다음 공고는 언제쯤 떠요?", "faq:other_dates"),
])
def test_what_the_source_leaves_open_about_documents_and_the_next_call(core, question, entry):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source" and answer.entry_id == entry, (answer.kind, answer.entry_id)
    # ... while the documents the source names are still answered
    answer, text = ask(core, "신청 서류 뭐 내요?")
    assert answer.kind == "answer" and "연구개발계획서" in text


def test_a_named_companys_person_in_charge_is_not_the_team_lead(core):
    answer, text = ask(core, "한화오션 과제 담당자 누구예요?")
    assert answer.entry_id != "faq:interviewee" and "한화오션은 이번 10개 과제를 낸 기업에 없어요" in text, text[:200]


def test_words_that_check_a_claim_are_no_unknown_topic(core):
    # '사실', '소문', '숫자' say that a claim is checked, not what about
    index = core.answerer.index
    share, unknown = index.oov_share(index.analyzer.analyze("과제 열 개라는 소문이 사실인가요 그 숫자")[0])
    assert share == 0.0 and unknown == [], unknown
    answer, text = ask(core, "40이라는 숫자 근거가 뭐야")
    assert answer.kind != "out_of_scope", (answer.kind, text[:100])


@pytest.mark.parametrize("question", ["보도자료 초안 좀 써 주세요", "이 문단 영어로 번역 좀", "출장 보고서 양식 만들어 줘",
                                      "연구개발계획서 대신 작성해 줄 수 있어요?"])
def test_a_task_for_the_bot_to_do_is_out_of_scope(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "out_of_scope", (question, answer.kind, text[:100])


def test_a_task_request_beside_a_question_leaves_the_question_answered(core):
    answer, text = ask(core, "마감일 알려주고, 그리고 사업 소개 문구도 써줘")
    assert answer.kind == "answer" and "26일" in text, (answer.kind, text[:150])


def test_a_challenge_company_beside_a_word_the_programme_never_uses_is_its_own_business(core):
    assert ask(core, "GS리테일 배당금 지급일이 언제예요")[0].kind == "out_of_scope"
    # ... but with a word of a challenge, or a question the model reads as about the challenge, it is ours
    answer, text = ask(core, "GS리테일 과제 선정되면 지원금은 언제 지급돼요?")
    assert answer.kind != "out_of_scope" and "완전무인매장" in text, (answer.kind, text[:150])


@pytest.mark.parametrize(("question", "fact"), [
    ("12월 29일에 제출해도 받아주나요?", "이후예요"),
    ("27일쯤 내도 돼요?", "12월 27일(일)은 마감"),            # a day without a month: the deadline's month
    ("24일에 접수하면 안 늦죠?", "2일 남았습니다"),
])
def test_whether_a_day_the_user_names_is_in_time(core, question, fact):
    answer, text = ask(core, question)
    assert answer.entry_id == "dday" and fact in text, (answer.entry_id, text[:150])



# -- found in review: rules of this round that must not misfire on ordinary questions --------------------------
@pytest.mark.parametrize(("question", "entry"), [
    ("26일까지 제출 서류 뭐예요?", "faq:documents"),                 # a date beside another question
    ("26일까지 접수하는 곳이 어디예요?", "faq:where_apply"),
    ("신용등급이 낮아요. 괜찮을까요?", "faq:eligibility"),            # a bare confirmation keeps its topic
    ("마감이 26일이라고 들었어요. 맞나요?", "faq:deadline_month"),  # (a day confirmed: round 15 split the month asked)
    ("ok, so what's the max funding?", "faq:max_amount"),             # 'ok' is no nod inside a question
    ("수요처에 시제품 만들어 줘야 하나요?", "faq:demand_share"),       # a duty, not a task for the bot
    ("과제 목록 표로 만들어 주세요", "faq:challenge_list"),
    ("구매연계형하고 어디가 달라요?", "faq:diff_from_purchase_linked"),  # the particle '하고' is no clause end
])
def test_this_rounds_rules_leave_ordinary_questions_alone(core, question, entry):
    answer, text = ask(core, question)
    assert answer.entry_id == entry, (question, answer.entry_id, text[:100])


def test_a_day_in_a_month_before_the_deadline_is_next_year(core):
    answer, text = ask(core, "1월 5일에 제출해도 되나요?")
    assert answer.entry_id == "dday" and "이후예요" in text, text[:120]


def test_who_pays_the_rest_keeps_the_users_percentage(core):
    answer, text = ask(core, "우리가 20% 내면 나머지는 누가 내요?")
    assert "80%" in text and answer.entry_id != "calc:rest_who", (answer.entry_id, text[:120])
    answer, text = ask(core, "우리가 10% 내면 나머지는 누가 내요?")
    assert "수요처 부담 30% 이상으로" in text, text[:160]


def test_every_named_company_is_named_beside_an_answer(core):
    answer, text = ask(core, "LG전자 KT GS리테일 HD현대중공업 DB손해보험 마감 언제?")
    assert all(f"ch:{c}" in answer.entry_id for c in ("lg", "kt", "gsretail", "hdhhi", "dbins")), answer.entry_id


# -- round 6 ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("question", "kind", "entry", "fact"), [
    ("인터넷으로 신청하는 건가요?", "answer", "faq:where_apply", "SMTECH"),        # the source says where: online
    ("온라인 접수 맞죠?", "answer", "faq:where_apply", "SMTECH"),
    ("우편으로 서류 보내도 접수되나요?", "not_in_source", "faq:apply_online", "우편"),  # other ways: not said
    ("센터에 직접 가서 내도 돼요?", "not_in_source", "faq:apply_online", "방문"),
    # A lone '~으로(라도)' after a question is how that question is meant, not a question of its own.
    ("설명회 하나요? 온라인으로라도?", "not_in_source", "faq:other_dates", "설명회"),
])
def test_online_submission_is_answered_and_other_channels_are_not_in_the_source(core, question, kind, entry, fact):
    answer, text = ask(core, question)
    assert (answer.kind, answer.entry_id) == (kind, entry) and fact in text, (question, answer.entry_id, text[:120])


@pytest.mark.parametrize("question", [
    "종합소득세 신고 언제까지예요?",       # the company's other paperwork: tax, payroll, trademarks
    "연말정산 서류 뭐 내요?",
    "직원 퇴직금 계산법 알려주세요",
    "상표등록 기간 얼마나 걸려요",
    "최저임금 올해 얼마예요",
])
def test_the_companys_other_paperwork_is_off_topic(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "out_of_scope" and answer.abstained, (question, answer.kind, answer.entry_id, text[:80])


@pytest.mark.parametrize(("question", "entry"), [
    ("법인 설립 전인데 신청돼요?", "faq:eligibility"),       # the same words, asked about applying here
    ("부가세 포함해서 3.5억이에요?", "faq:funding_rules"),
])
def test_paperwork_words_about_this_programme_stay_in_scope(core, question, entry):
    answer, text = ask(core, question)
    assert (answer.kind, answer.entry_id) == ("not_in_source", entry), (question, answer.kind, answer.entry_id)


@pytest.mark.parametrize(("text", "standard"), [
    ("대기업은 몇프로 내노", "대기업은 몇프로 내냐"),          # 경상도 question endings
    ("서류 다 냈노?", "서류 다 냈냐?"),
    ("과제 머꼬, 그라고 최대 얼마고", "과제 뭐야, 그리고 최대 얼마야"),
    ("나머지 센터가 몇곳이고", "나머지 센터가 몇곳이야"),
    ("40개서 10개 뽑았으믄 몇프로 살아남은기고", "40개서 10개 뽑았으면 몇프로 살아남은거야"),
    ("고맙데이", "고맙다"),
    ("니 머 할줄아노", "너 뭐 할줄 아냐"),
    ("저희는 나노 소재 회사인데 피아노", "저희는 나노 소재 회사인데 피아노"),   # nouns ending in 노 stay
    ("마감 언제예요?", "마감 언제예요?"),
    ("보험 과제 두개라던디 맞수꽈?", "보험 과제 두개라던데 맞습니까?"),   # 제주
    ("풀무원 과제 이름이 뭐우꽈?", "풀무원 과제 이름이 뭐예요?"),
    ("원료 맹그는 회사우다", "원료 만드는 회사예요"),
    ("과제가 있다던디 뭐여?", "과제가 있다던데 뭐야?"),              # 전라
    ("신청은 어떻게 혀", "신청은 어떻게 해"),
    ("이거 뭐유?", "이거 뭐예요?"),                                   # 충청
    ("신청했슈", "신청했어요"),
    ("배우다", "배우다"),                                             # a verb's own ending stays
    ("수요처가 몇 프로 냄까?", "수요처가 몇 프로 냅니까?"),           # 연변: a final ㅁ before 까/다
    ("중기부가 하는 거 맞슴까? 아이면 센터가 하는 검까?", "중기부가 하는 거 맞습니까? 아니면 센터가 하는 겁니까?"),
    ("물어봄다", "물어봅니다"),
    ("나무를 심다", "나무를 심다"),                                  # a verb's stem in ㅁ stays
    ("최대 삼억오천 십사개월 맞고", "최대 3억5천 14개월 맞고"),      # numbers said in words (voice input)
    ("마감 이십육일이면", "마감 26일이면"),
    ("5천만원 과제", "5천만원 과제"),                                # figures stay as written
    ("이 일 해요", "이 일 해요"),                                    # a lone syllable is a word
    ("돈을 을마나 준대요", "돈을 얼마나 준대요"),
])
def test_regional_endings_read_as_standard_korean(text, standard):
    from bot.korean import normalize, standardize

    assert standardize(normalize(text)) == standard


@pytest.mark.parametrize(("question", "facts"), [
    ("대기업은 몇프로 내노", ["30%"]),
    ("SK에코플랜트 과제 머꼬", ["재활용"]),
    ("정부가 우리보다 몇배 더 내노", ["6배"]),                       # the ratio of two shares
    ("수요처 부담은 중소기업 부담의 몇 배인가요?", ["3배"]),
    ("질문 3개요: 1 마감 언제예요 2 과제 몇 개예요 3 어디서 신청해요", ["26일", "10개", "SMTECH"]),  # numbered questions
    ("(1) 신청 마감일 (2) 정부 지원 비율", ["26일", "60%"]),
])
def test_regional_speech_ratios_and_numbered_questions(core, question, facts):
    answer, text = ask(core, question)
    assert not answer.abstained and all(f in text for f in facts), (question, answer.entry_id, text[:160])


@pytest.mark.parametrize(("question", "kind"), [
    ("풀무원 고객센터 전화번호 알려주세요", "out_of_scope"),      # the company's own customer service
    ("GS리테일 본사 주소 어디예요", "out_of_scope"),
    ("풀무원 과제 담당자 전화번호 있어요?", "not_in_source"),     # this programme's contact for that challenge
    ("접수 시작일은 언제예요?", "not_in_source"),                 # the source gives only the deadline
])
def test_a_companys_own_contact_is_not_the_programmes(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:80])


@pytest.mark.parametrize(("question", "fact"), [
    ("과제 세 개면 정부 돈 최대 얼마예요", "6억 3천만 원"),         # N challenges: a total
    ("자부담 10%를 14개월로 나눠서 내면 월 얼마씩?", "250만 원"),   # the SME's share per month
    ("수요처 30%랑 자부담 10% 합친 금액은 3.5억 기준 얼마", "1억 4천만 원"),
    ("제출처가 어디인가요?", "SMTECH"),                          # '제출처' is not '출처' (source)
])
def test_more_ways_to_ask_for_a_computation_and_where_to_submit(core, question, fact):
    answer, text = ask(core, question)
    assert not answer.abstained and fact in text, (question, answer.entry_id, text[:160])


def test_added_shares_asked_as_money_use_the_maximum_budget(core):
    answer, text = ask(core, "정부랑 수요처 합치면 몇 %고 돈으로는 얼마예요?")
    assert "90%" in text and "3억 1,500만 원" in text, text[:200]


def test_both_of_the_matched_challenges_make_a_total(core):
    answer, text = ask(core, "환경 쪽 과제랑 유통 쪽 과제 하나씩 알려주고 둘 다 하면 총 최대 얼마야")
    assert "재활용" in text and "7억 원" in text, (answer.entry_id, text[:300])


@pytest.mark.parametrize(("question", "entry"), [
    ("접수하기 전에 대기업 쪽 담당자랑 미팅해볼 수 있나요?", "faq:demand_meeting"),  # asked by nine writers
    ("수요처랑 사전 협의 꼭 해야 돼요?", "faq:demand_meeting"),
    ("한 과제에 몇 개의 기업이 선정되나요?", "faq:evaluation"),                    # SMEs chosen, not challenges
    ("필수 서류 목록 전체를 알려주세요", "faq:document_list"),
])
def test_more_questions_the_source_leaves_open(core, question, entry):
    answer, text = ask(core, question)
    assert (answer.kind, answer.entry_id) == ("not_in_source", entry), (question, answer.kind, answer.entry_id)


@pytest.mark.parametrize(("question", "entries"), [
    ("수요처랑 미팅해볼 수 있어요?", ["faq:demand_meeting"]),          # '랑' = with: one question
    ("마감일이랑 지원기간 같이 알려줘", ["faq:deadline", "faq:max_period"]),  # '랑' = and; '같이 알려줘' = both
])
def test_with_whom_is_not_a_second_question(core, question, entries):
    answer, text = ask(core, question)
    assert answer.entry_id.split(",") == entries, (question, answer.entry_id)


@pytest.mark.parametrize(("question", "kind"), [
    ("고용보험 요율이 올해 몇 %예요?", "out_of_scope"),                 # doing the chore itself
    ("수정세금계산서 발행 방법 알려줘", "out_of_scope"),
    ("이노비즈 인증 받으려면 뭐 해야 돼요", "out_of_scope"),
    ("4대보험 가입자가 없어도 신청 가능한가요?", "not_in_source"),       # whether it matters for applying here
    ("연구비로 세금계산서 처리는 어떻게 해요?", "not_in_source"),
])
def test_an_office_chore_is_not_a_question_about_applying(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:80])


@pytest.mark.parametrize(("question", "fact"), [
    ("대기업 쪽 연구개발 전략부서가 한 일이 뭐예요?", "핵심 비즈니스"),   # asked by three writers
    ("이거 누가 운영해요?", "중소벤처기업부"),
])
def test_questions_many_writers_asked(core, question, fact):
    answer, text = ask(core, question)
    assert not answer.abstained and fact in text, (question, answer.entry_id, text[:120])


@pytest.mark.parametrize("question", ["중기부 맞지?", "MSS 맞죠?", "이거 중기부 사업 맞아요?"])
def test_an_organisation_and_a_confirmation_ask_who_runs_this(core, question):
    answer, text = ask(core, question)
    assert "org:mss" in answer.entry_id and "서울창조경제혁신센터" in text, (question, answer.entry_id, text[:120])


@pytest.mark.parametrize(("question", "kind"), [
    ("서류는 우편으로 보내면 된다고 들었는데 맞죠?", "answer"),   # a claim: corrected with the source's fact
    ("센터에 직접 내는 거라던데 ㄹㅇ?", "answer"),
    ("우편으로 보내도 되나요?", "not_in_source"),                  # a plain question: the source does not say
])
def test_a_claim_about_where_to_submit_is_corrected(core, question, kind):
    answer, text = ask(core, question)
    assert (answer.kind, answer.entry_id) == (kind, "faq:apply_online") and "SMTECH" in text, \
        (question, answer.kind, answer.entry_id)


@pytest.mark.parametrize(("question", "named", "right"), [
    ("DB손해보험이 폐기물 선별 과제 냈다던데", "DB손해보험", "SK에코플랜트"),
    ("KT는 물류 과제라던데 맞아요?", "KT", "롯데글로벌로지스"),
    ("현대중공업이 수전 센서 과제 낸 거 맞아요?", "HD현대중공업", "LG전자"),
])
def test_a_claim_giving_a_challenge_to_the_wrong_company_is_corrected(core, question, named, right):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and text.startswith(f"말씀하신 과제는 {named}"), (question, text[:120])
    assert f"<b>{right}</b>의 과제" in answer.text and named in text, (question, text[:300])


@pytest.mark.parametrize(("question", "company"), [
    ("KT 과제 로봇 맞음?", "KT"),                                # the claim is right
    ("교보생명 AI 과제 맞죠?", "교보생명"),                       # 'AI' is several challenges' word
    ("현대중공업은 선박 자율운항 과제라고 하던데요", "HD현대중공업"),  # no challenge is about ships
])
def test_a_claim_no_other_challenge_fits_shows_the_named_one(core, question, company):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and "아니라" not in text and text.startswith(company), (question, text[:120])


def test_korean_list_letters_number_the_questions(core):
    answer, text = ask(core, "가. 마감일 나. 신청하는 곳 다. 최대 지원 기간을 알려주십시오.")
    assert answer.entry_id == "faq:deadline,faq:where_apply,faq:max_period", (answer.entry_id, text[:200])
    for fact in ("26일", "SMTECH", "14개월"):
        assert fact in text, (fact, text[:400])


@pytest.mark.parametrize(("question", "fact"), [
    # the formal register of a public-sector liaison: synonyms in data/synonyms.yaml
    ("국고 보조 비율은 얼마입니까", "60%"),
    ("수요기관이 부담하는 최소 비율은?", "30%"),
    ("접수 종료 시점이 언제인지요", "26일"),
    ("차년도에도 추진됩니까", "내년"),
    ("조달연계 트랙과 무엇이 다릅니까", "구매 의무"),
    ("원 보도의 게재 매체는 어디입니까", "IT동아"),
])
def test_the_formal_register_is_understood(core, question, fact):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and fact in text, (question, answer.kind, answer.entry_id, text[:150])


@pytest.mark.parametrize(("question", "company"), [
    ("생보사 청약 심사 업무 로그로 병목 찾는 툴 만드는데 우리 같은 데도 해당돼요?", "교보생명"),  # '청약' is also housing
    ("건기식 원료 최적 조합 찾는 툴. 우리도?", "풀무원"),
])
def test_field_terms_and_short_self_descriptions_find_the_challenge(core, question, company):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and company in text, (question, answer.kind, text[:150])


@pytest.mark.parametrize(("question", "kind"), [
    # another programme's own process, though its words are an open question's triggers here
    ("예비창업패키지 선정 결과 발표는 언제예요?", "out_of_scope"),
    ("정책자금 융자 상환 기간 얼마예요", "out_of_scope"),
    # ... unless something ties that programme to applying here
    ("팁스 받은 회사도 선정 결과 발표 같이 나와요?", "not_in_source"),
    ("서울센터 사무실 주소 어디예요?", "not_in_source"),
])
def test_another_programmes_process_is_off_topic(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:80])


@pytest.mark.parametrize("question", ["라이다가 어떻게 작동하는 건지 원리 알려줘", "증강현실 안경 추천해줘",
                                      "폐배터리 왜 불나요? 설명해줘", "우리 동네 분리수거 요일 알려줘",
                                      "수도꼭지 물 새는 거 어떻게 고쳐요", "AR이랑 VR 차이점이 뭐예요",
                                      "쿠버네티스에서 배터리 모니터링 에러 나요"])
def test_a_question_about_the_technology_itself_is_off_topic(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "out_of_scope", (question, answer.kind, answer.entry_id, text[:80])


@pytest.mark.parametrize(("question", "company"), [("AR 과제 추천해줘", "DB손해보험"),
                                                   ("저희는 라이다 센서 만드는데 작동 원리가 비슷한 과제 있나요?", "HD현대중공업"),
                                                   ("AR 과제랑 라이다 과제 차이가 뭐예요?", "HD현대중공업")])
def test_a_challenge_asked_for_with_the_technologys_words_is_answered(core, question, company):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and company in text, (question, answer.kind, text[:80])


@pytest.mark.parametrize("question", ["특허 출원 비용 얼마 들어요?", "법인 설립 등기 어떻게 해요"])
def test_filing_and_registering_are_office_chores(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "out_of_scope", (question, answer.kind, answer.entry_id, text[:80])


@pytest.mark.parametrize("question", ["중기부랑 무슨 상관이에요?", "TIPA가 직접 하는 거예요?"])
def test_what_an_organisation_has_to_do_with_this_gets_its_role(core, question):
    answer, text = ask(core, question)
    assert answer.entry_id.startswith("org:") and "역할" in text, (question, answer.entry_id, text[:120])


def test_a_count_of_matching_challenges_is_said(core):
    answer, text = ask(core, "보험 쪽 과제 몇 개 있어요?")
    assert text.startswith("말씀하신 내용과 가까운 과제는 2개예요") and "DB손해보험" in text, text[:200]


def test_a_past_tense_claim_about_the_wrong_company_is_corrected(core):
    answer, text = ask(core, "폐배터리 물류 과제 SK에코플랜트 거였죠?")
    assert text.startswith("말씀하신 과제는 SK에코플랜트가 아니라") and "롯데글로벌로지스" in text, text[:200]


def test_an_introduction_and_the_reason_for_writing_are_background(core):
    answer, text = ask(core, "안녕하세요, 경기테크노파크 기업지원팀 과장입니다. 관내 입주기업 안내 목적으로 문의드립니다. "
                             "신청 마감일이 언제인지 알려주십시오.")
    assert (answer.kind, answer.entry_id) == ("answer", "faq:deadline") and "26일" in text, (answer.entry_id, text[:120])
    # ... while the same off-topic subject asked about is still declined
    assert ask(core, "입주기업 모집 공고 언제 나와요?")[0].kind == "out_of_scope"


def test_a_hanja_gloss_is_read_as_the_word_it_glosses(core):
    answer, text = ask(core, "모(母)사업 이름이 뭐예요?")
    assert answer.kind == "answer" and "구매조건부" in text, (answer.entry_id, text[:120])


def test_questions_separated_by_spaced_slashes_are_all_answered(core):
    answer, text = ask(core, "마감일 / 지원기간 / 자부담 비율 알려줘")
    for fact in ("26일", "14개월", "10%"):
        assert fact in text, (fact, answer.entry_id, text[:300])


@pytest.mark.parametrize(("question", "facts"), [
    ("마감 기간 금액 ㄱㄱ", ["26일", "14개월", "3억 5천만 원"]),
    ("우리부담몇프로 기간몇달", ["10%", "14개월"]),
])
def test_a_message_of_bare_topic_words_answers_each(core, question, facts):
    answer, text = ask(core, question)
    for fact in facts:
        assert fact in text, (question, fact, answer.entry_id, text[:300])


@pytest.mark.parametrize("question", ["센터 전화번호 좀", "서울창조경제혁신센터 주소 좀"])
def test_two_nouns_naming_one_thing_stay_one_question(core, question):
    answer, text = ask(core, question)
    assert answer.entry_id == "faq:contact", (question, answer.entry_id)


def test_the_maximum_answer_gives_each_share_in_money(core):
    answer, text = ask(core, "과제당 최대 얼마까지 지원받을 수 있나요?")
    assert answer.entry_id == "faq:max_amount" and "최대 2억 1천만 원" in text and "최소 3,500만 원" in text, text[:300]


def test_no_fitting_challenge_is_said_plainly(core):
    answer, text = ask(core, "저희는 반도체 웨이퍼 세정장비 제조사인데 맞는 과제 있어요?")
    assert "딱 맞는 과제는 없어 보여요" in text, text[:120]


def test_a_claim_that_this_ran_last_year_gets_that_it_is_new(core):
    answer, text = ask(core, "작년에도 하던 사업이라던데 맞아요?")
    assert "faq:new_this_year" in answer.entry_id, (answer.entry_id, text[:120])


@pytest.mark.parametrize(("question", "entry", "fact"), [
    ("수요처가 20%만 낸다던데 맞아요?", "faq:demand_share", "30%"),
    ("우리가 15% 내야 한다던데?", "faq:sme_share", "10%"),
    ("정부 지원금 최대 2억 5천이라던데 맞아요?", "faq:gov_share", "2억 1천만 원"),
])
def test_a_claimed_figure_about_one_party_gets_that_partys_share(core, question, entry, fact):
    answer, text = ask(core, question)
    assert answer.entry_id == entry and fact in text, (question, answer.entry_id, text[:150])


def test_who_pays_the_rest_after_a_wrong_claim_is_the_sources_split(core):
    answer, text = ask(core, "정부가 70% 대준다고 들었거든요 그럼 나머지는 누가 내요?")
    assert answer.form == "calc" and "60%" in text and "70%" not in text, text[:200]


@pytest.mark.parametrize(("question", "kind"), [
    ("벤처기업 확인 신청 어디서 해요?", "out_of_scope"),     # applying for the certificate itself
    ("벤처기업 확인 없어도 신청 돼요?", "not_in_source"),     # whether it matters for applying here
    ("벤처 인증 받는 방법 알려주세요", "out_of_scope"),        # the kind of grant before the applying
    ("기업부설연구소 인정 신청은 어떻게 하죠", "out_of_scope"),
    ("부설연구소 인정 받아야 신청 가능해요?", "not_in_source"),
    ("법인 설립하려면 뭐부터 해요?", "out_of_scope"),
    ("연구개발비 세액공제 계산 방법", "out_of_scope"),
    ("정부 출연금은 언제 지급돼요?", "not_in_source"),
])
def test_applying_for_a_certificate_is_a_chore_and_payment_timing_is_open(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id)


def test_the_share_of_challenges_on_a_subject_is_computed(core):
    answer, text = ask(core, "10개 중 보험사 과제 비율은?")
    assert "전체 10개 중 2개로, 20%" in text and "DB손해보험" in text, text[:200]


def test_a_ratio_the_company_works_on_is_no_share_of_the_challenges(core):
    answer, text = ask(core, "원두 블렌딩 비율 찾아주는 AI 만들어요. 맞는 과제 있나요?")
    assert "풀무원" in text and "%" not in text, text[:200]


@pytest.mark.parametrize(("question", "fact"), [
    ("신청은 어데서 하능교", "SMTECH"),                                  # 경상도: 어데 = 어디
    ("정부 60 대고 대기업 30 대믄 나머지는 우리가 내는 기제? 몇 프로고", "10%"),  # 기제 = 거지
    ("Will this program continue 내년에도?", "내년"),                    # English words as synonyms
    ("How many 과제 total 이에요? and how many 센터 involved?", "10개"),
])
def test_more_dialect_and_english_mixed_questions(core, question, fact):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and fact in text, (question, answer.kind, answer.entry_id, text[:150])


def test_several_computations_of_one_kind_are_all_given(core):
    answer, text = ask(core, "월평균으로 계산해 주세요\n- 월평균 총 연구개발비\n- 정부 지원분 월평균\n- 우리 회사 최소 부담분 월평균")
    for fact in ("2,500만 원", "1,500만 원", "250만 원"):
        assert fact in text, (fact, answer.entry_id, text[:400])


@pytest.mark.parametrize(("question", "name"), [
    ("한화오션은요? 옛날 대우조선요. 거기도 수요처로 들어가 있나요", "한화오션"),
    ("Samsung Electronics 도 participating 해요?", "Samsung Electronics"),
])
def test_asking_whether_another_company_takes_part_gets_not_among_the_ten(core, question, name):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and f"{name}" in text and "기업에 없어요" in text, (question, answer.kind, text[:150])


@pytest.mark.parametrize("question", ["라이다 센서 A사랑 B사 제품 중에 뭐가 나아요?", "특허 출원 비용 얼마예요? 변리사 수수료 포함",
                                      "네이버 스마트스토어 입점하는 방법"])
def test_product_choices_patent_fees_and_store_listings_are_off_topic(core, question):
    assert ask(core, question)[0].kind == "out_of_scope", question


@pytest.mark.parametrize(("question", "entry"), [
    ("도전과제면 실패할 수도 있잖아요. 실패하면 돈 돌려줘야 해요?", "faq:repayment"),   # '~잖아요' is background
    ("미국 본사 자회사도 신청 돼요?", "faq:eligibility"),
])
def test_more_open_questions_are_answered_honestly(core, question, entry):
    answer, text = ask(core, question)
    assert (answer.kind, answer.entry_id) == ("not_in_source", entry), (question, answer.kind, answer.entry_id)


def test_a_sum_beside_other_questions_is_one_of_them(core):
    answer, text = ask(core, "고객사 이사회 보고용입니다.\n- 정부 지원 비율 상한\n- 정부와 수요처를 합친 최소 재원 금액\n- 수요처의 구매 의무 여부")
    for fact in ("60%", "3억 1,500만 원", "면제"):
        assert fact in text, (fact, answer.entry_id, text[:400])


def test_a_formal_statement_before_a_question_is_background(core):
    answer, text = ask(core, "저희 고객사는 현금 여력이 부족합니다. 연구원 인건비 같은 현물로 자부담을 채워도 되나요?")
    assert (answer.kind, answer.entry_id) == ("not_in_source", "faq:funding_rules"), (answer.kind, answer.entry_id)


def test_a_message_of_many_questions_gets_a_reply_telegram_accepts(core):
    lines = ["마감일", "지원 기간", "최대 금액", "정부 비율", "수요처 비율", "자부담 비율", "서류", "신청처", "과제 목록",
             "참여 센터", "주관 기관", "TIPA 역할", "구매연계형 차이", "구매 의무", "내년에도 하나요", "기사 출처",
             "인터뷰한 사람", "검증위원회", "과제 발굴 과정", "평가 기준", "자격 요건", "선정 결과 발표", "연락처",
             "교보생명 과제", "풀무원 과제", "KT 과제", "LG전자 과제", "GS리테일 과제"]
    question = "\n".join(lines)
    assert len(question) <= 500
    answer, text = ask(core, question)
    assert answer.kind == "answer" and len(answer.text) < 4096, len(answer.text)
    assert "26일" in text and "개에는 답하지 못했어요" in text, text[-200:]


@pytest.mark.parametrize(("question", "kind", "fact"), [
    # taking it for a contest or a tender: what kind of support it is, with the facts
    ("이거 공모전처럼 상금 주는 거예요?", "answer", "연구개발 자금"),
    ("나라장터 입찰이랑 같은 건가요", "answer", "SMTECH"),
    # the tender's and the loan's details: the source does not say
    ("보증보험 증권 내야 돼요?", "not_in_source", "담보"),
    ("낙찰 방식은 어떻게 돼요", "not_in_source", "낙찰"),
    ("공장 담보대출 금리 비교해줘", "out_of_scope", "안내만"),   # a loan of one's own is no question here
])
def test_taking_it_for_a_contest_a_tender_or_a_loan(core, question, kind, fact):
    answer, text = ask(core, question)
    assert answer.kind == kind and fact in text, (question, answer.kind, answer.entry_id, text[:120])


def test_the_challenges_asked_about_beside_an_open_question_are_both_answered(core):
    answer, text = ask(core, "KT랑 GS리테일 과제 주제가 뭐고, 두 개 동시에 넣어도 돼요?")
    assert answer.kind == "answer" and "서빙/배송로봇" in text and "무인매장" in text, text[:200]
    assert "faq:concurrent_projects" in answer.entry_id.split(","), answer.entry_id


def test_a_company_not_among_the_ten_with_a_subject_gets_the_challenges_on_it(core):
    answer, text = ask(core, "쿠팡 물류 과제 있으면 넣어보고 싶어요")
    assert answer.kind == "answer" and "쿠팡은 이번 10개 과제를 낸 기업에 없어요" in text, text[:200]
    assert "롯데글로벌로지스" in text and answer.entry_id == "ch:lotte", (answer.entry_id, text[:300])


def test_the_programmes_own_words_do_not_pick_a_challenge(core):
    # '지원' is in a staff field term of one challenge ('원격 지원'), but it is the programme's word
    answer, text = ask(core, "네이버 과제 있으면 지원하려고 하는데 신청 마감일 알려주세요")
    assert "네이버는 이번 10개 과제를 낸 기업에 없어요" in text and "26일" in text, text[:300]
    assert "DB손해보험:" not in text, text[:300]


@pytest.mark.parametrize(("question", "names"), [
    ("카카오나 네이버도 수요처예요?", ["카카오", "네이버"]),          # '나' after a name
    ("토스 같은 핀테크 회사도 과제 냈어요?", ["토스"]),
])
def test_companies_not_among_the_ten_with_or_and_like(core, question, names):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and "10개 과제를 낸 기업에 없어요" in text, (question, text[:200])
    for name in names:
        assert name in text.split("10개 과제를 낸 기업에 없어요")[0], (question, name, text[:200])


def test_a_brand_of_a_challenge_company_names_its_challenge(core):
    answer, text = ask(core, "파리바게뜨도 과제 냈나요?")
    assert answer.kind == "answer" and "섹타나인(SPC)" in text and "안전사고" in text, text[:200]


def test_all_the_challenges_on_a_subject_when_asked_for_all(core):
    answer, text = ask(core, "RPA 솔루션 회사예요 보험 관련 과제 모두 보여주세요")
    assert "교보생명" in text and "DB손해보험" in text, text[:300]


def test_list_items_asking_for_challenges_by_subject_are_each_answered(core):
    answer, text = ask(core, "정리 부탁드립니다.\n- 로봇 관련 과제\n- 음식 관련 과제")
    assert "KT" in text and "풀무원" in text, (answer.entry_id, text[:300])


@pytest.mark.parametrize(("question", "kind", "entries"), [
    # answers offered after an open question are part of it, not new questions
    ("결과물 소유권은 누구한테 가요? 대기업? 저희?", "not_in_source", ["faq:ip_ownership"]),
    ("접수 마감 몇 시예요? 26일 오후 6시?", "not_in_source", ["faq:deadline_time"]),
    # ... but a new topic after it is a question of its own
    ("마감 언제예요? 서류는?", "answer", ["faq:deadline", "faq:documents"]),
])
def test_answers_offered_after_an_open_question_are_not_new_questions(core, question, kind, entries):
    answer, text = ask(core, question)
    assert answer.kind == kind and answer.entry_id.split(",") == entries, (question, answer.kind, answer.entry_id)


@pytest.mark.parametrize(("question", "kind"), [
    ("인테리어 업체도 주관기관 신청 자격 있나요? 저흰 제조 안 해요", "not_in_source"),   # eligibility in so many words
    ("개발 끝나면 수요처에서 실증까지 해줘요?", "not_in_source"),
    ("이해했습니다", "smalltalk"),
    ("DB손보 사고접수 어디로 해요", "out_of_scope"),              # the insurer's own customer service
    ("마이데이터 라이선스 받으려면 뭐가 필요해?", "out_of_scope"),
])
def test_more_kinds_kept_apart(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "entry"), [("스마텍 접수 몇일까지?", "faq:deadline"),
                                                 ("SMTECH 마감일?", "faq:deadline"),
                                                 ("중기부 뭐하는 곳이에요", "org:mss")])
def test_what_is_asked_beside_an_organisations_name(core, question, entry):
    answer, text = ask(core, question)
    assert answer.entry_id == entry, (question, answer.entry_id, text[:100])


def test_who_runs_it_and_a_comparison_after_it(core):
    answer, text = ask(core, "이 사업 누가 해요")
    assert answer.entry_id == "faq:organizers", answer.entry_id
    # an open question joined by -고 before a comparison: two questions (the comparison is read by the model)
    answer, text = ask(core, "누가 주관하는 사업이고 구매연계형이랑 뭐가 다른 거예요?")
    entries = answer.entry_id.split(",")
    assert entries[0] == "faq:organizers" and len(entries) == 2, entries
    assert entries[1] in ("faq:diff_from_purchase_linked", "faq:purchase_linked_track"), entries


def test_a_company_name_alone_asks_for_its_challenge(core):
    for question in ("HD현대중공업은요?", "케이티 꺼는?", "롯데글로벌로지스 과제요"):
        answer, text = ask(core, question)
        assert answer.kind == "answer" and answer.entry_id.startswith("ch:"), (question, answer.entry_id)


@pytest.mark.parametrize(("question", "entry"), [
    # another programme in the background, and whether one may still apply here
    ("울 아버지 회사가 예전에 스마트공장 지원 받았는데 이번엔 신청 못하나요", "eligibility"),
    ("작년에 팁스 했는데 이것도 같이 할 수 있어요?", "concurrent_projects"),
    ("Is there a webinar about this program?", "other_dates"),
])
def test_another_programme_in_the_background_of_an_open_question(core, question, entry):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source" and answer.entry_id == f"faq:{entry}", (question, answer.entry_id)


@pytest.mark.parametrize(("question", "fact"), [
    ("기사 쓴 기자 메일 주소 있어요?", "tk@itdonga.com"),        # the source gives the reporter's address
    ("기사 원제목 알려줘", "물꼬"),
    ("이 기사 내용 블로그에 옮겨도 돼요? 저작권은요?", "Creative Commons"),
    ("예전 구매연계형도 구매 의무 면제되는 경우가 있었어요?", "정당한 사유"),
])
def test_what_the_article_itself_says_about_itself(core, question, fact):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and fact in text, (question, answer.kind, answer.entry_id, text[:150])


def test_a_contact_the_source_does_not_give_stays_an_honest_answer(core):
    answer, text = ask(core, "김영준 팀장님 이메일 알려주세요")
    assert answer.kind == "not_in_source" and "tk@itdonga.com" not in text, text[:200]


def test_the_frame_of_a_relayed_question_is_dropped(core):
    answer, text = ask(core, "인천센터도 과제 발굴에 참여했는지, 참여했다면 이 사업 총괄은 어디서 하는지 물어봐서요.")
    assert answer.kind == "answer" and "인천" in text and "중소벤처기업부" in text, (answer.entry_id, text[:200])


def test_tenant_companies_in_a_relayed_question_are_the_askers(core):
    answer, text = ask(core, "안녕하세요. 창업지원센터 매니저입니다. 입주기업들이 경기센터도 과제 발굴에 참여했는지, "
                             "또 이 사업을 총괄하는 곳은 어디인지 알려주세요.")
    assert answer.kind == "answer" and "경기" in text and "중소벤처기업부" in text, (answer.entry_id, text[:200])


@pytest.mark.parametrize(("question", "kind"), [
    ("리튬인산철 배터리가 화재에 강한 이유가 뭐예요?", "out_of_scope"),   # the technology itself
    ("라이다 거리 계산 공식 좀", "out_of_scope"),
    ("조선소 도장공 일당 얼마예요", "out_of_scope"),
    ("주식회사 설립 절차가 어떻게 돼요", "out_of_scope"),               # a chore
    ("지원금은 한번에 받나요 나눠서 받나요", "not_in_source"),           # payment schedule: open
])
def test_more_subjects_and_chores_kept_apart(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "fact"), [
    ("총 사업비 3억이면 대기업 쪽은 최소 얼마 내요?", "9천만 원"),
    ("정부랑 대기업이 합쳐서 최대 몇 %까지 대줘요?", "90%"),
])
def test_the_demand_company_named_as_the_large_company(core, question, fact):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and fact in text, (question, answer.entry_id, text[:200])


@pytest.mark.parametrize(("question", "entry"), [
    ("사업 총괄은 어디서 하는지 문의드립니다", "faq:organizers"),    # a request frame is no thanks
    ("삼성전자 과제는 없어요? 없으면 마감일이라도 알려주세요", "faq:deadline"),
])
def test_a_request_frame_does_not_outweigh_the_question(core, question, entry):
    answer, text = ask(core, question)
    assert entry in answer.entry_id.split(","), (question, answer.entry_id, text[:100])


def test_a_company_not_among_the_ten_is_named_as_such_beside_one_that_is(core):
    answer, text = ask(core, "SK텔레콤 과제도 있나요? SK 계열 과제면 다 알려줘")
    assert "SK텔레콤은 이번 10개 과제를 낸 기업에 없어요" in text and "SK에코플랜트" in text, text[:300]


@pytest.mark.parametrize(("question", "fact"), [("네이버 과제는 몇 달짜리예요?", "14개월"),
                                                ("카카오 과제 있으면 하고 싶은데 마감 언제예요", "26일")])
def test_a_figure_asked_about_a_company_not_among_the_ten(core, question, fact):
    answer, text = ask(core, question)
    assert "10개 과제를 낸 기업에 없어요" in text and fact in text, (question, answer.entry_id, text[:300])


def test_a_greeting_after_an_introduction_is_small_talk(core):
    answer, text = ask(core, "안녕하세요, 경남 창업보육센터 매니저입니다. 앞으로 자주 문의드릴게요 잘 부탁드립니다")
    assert answer.kind == "smalltalk", (answer.kind, answer.entry_id, text[:100])


def test_a_piece_asking_with_a_question_word_needs_less_certainty(core):
    answer, text = ask(core, "센터몇곳이고 회사어디어디")
    entries = answer.entry_id.split(",")
    assert "faq:centers" in entries and len(entries) == 2, answer.entry_id


@pytest.mark.parametrize("question", ["중소기업 부담 10% 고정이에요?", "중소기업 부담이 10% 이상이에요 이하예요?"])
def test_the_smes_share_is_not_the_ministry(core, question):
    answer, text = ask(core, question)
    assert answer.entry_id == "faq:sme_share" and "10% 이상" in text, (question, answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "entry"), [
    ("Can a US-based company with a Korean branch apply?", "eligibility"),
    ("Is there a minimum revenue requirement?", "eligibility"),
    ("Can we apply as a consortium with a university?", "consortium"),
    ("Can our 10% share be an in-kind contribution instead of cash?", "funding_rules"),
    ("Is there an interview or presentation round?", "evaluation"),
])
def test_open_questions_asked_in_english(core, question, entry):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source" and answer.entry_id == f"faq:{entry}", (question, answer.entry_id)


@pytest.mark.parametrize(("question", "fact"), [
    ("What percentage does the government cover?", "60%"),
    ("How much do we have to pay ourselves at minimum?", "10%"),
    ("What's the difference from the purchase-linked track?", "면제"),
    ("We build AR glasses for field workers. Which challenge fits us?", "DB손해보험"),
    ("Hyundai Heavy Industries challenge title?", "충돌방지"),
    ("What's the monthly amount if we split 3.5억 over 14 months?", "2,500만 원"),
])
def test_answerable_questions_asked_in_english(core, question, fact):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and fact in text, (question, answer.kind, answer.entry_id, text[:150])


def test_thanks_in_english(core):
    assert ask(core, "Thanks, that's really helpful!")[0].kind == "smalltalk"


@pytest.mark.parametrize("question", ["Do we need a 법인 in Korea?", "thanks, and the 서류?"])
def test_a_question_in_english_about_a_domain_word_is_not_small_talk(core, question):
    answer, text = ask(core, question)
    assert answer.kind in ("answer", "not_in_source", "unclear"), (question, answer.kind, answer.entry_id)


@pytest.mark.parametrize(("question", "entry"), [
    ("정부 지원금은 한번에 줘요 아니면 분할로 줘요?", "after_selection"),     # payment schedule
    ("우리 자부담금은 언제까지 통장에 넣어야 돼요?", "after_selection"),
    ("수요처 분담금은 어디로 입금해요?", "after_selection"),
    ("부가세도 사업비로 처리돼요?", "funding_rules"),
    ("떨어지면 탈락 사유는 알려주나요?", "evaluation"),
])
def test_payment_and_rejection_details_are_open_questions(core, question, entry):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source" and answer.entry_id == f"faq:{entry}", (question, answer.entry_id)


@pytest.mark.parametrize("question", ["E-7 비자 연장 서류 뭐 필요해요", "사무실 복합기 스캔이 안 돼요", "GS25 택배보관함 어디 있어요",
                                      "홈택스에서 사업자등록 하는 법", "소부장 사업 공고 언제 떠요", "HD현대 수주 뉴스 알려줘"])
def test_more_subjects_that_are_not_this_programme(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "out_of_scope", (question, answer.kind, answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "kind"), [
    ("사회적기업 직원 퇴직금 중간정산 돼요?", "out_of_scope"),           # the trigger only qualifies the head noun
    ("외국인 연구원 비자발급 서류", "out_of_scope"),
    ("사회적기업 퇴직금 적립 의무 있어?", "out_of_scope"),
    ("외국인 대표가 운영하는 회사도 신청 돼요?", "not_in_source"),        # the trigger's own question
    ("벤처인증이나 이노비즈 있으면 가점 있나요", "not_in_source"),        # two things listed, not one phrase
])
def test_an_open_question_word_qualifying_another_subject(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "kind"), [
    ("무인매장 키오스크 브랜드 어디가 좋아요", "out_of_scope"),   # shopping for the technology itself
    ("폐배터리 단가 요즘 얼마예요", "out_of_scope"),
    ("저희는 서빙로봇 브랜드를 운영하는 회사인데 맞는 과제 있나요", "answer"),  # a company describing itself
])
def test_shopping_for_a_challenge_technology_is_off_topic(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "kind", "entry"), [
    ("이 부문 전체 예산이 몇 억 정도 배정됐나요?", "not_in_source", "faq:total_budget"),   # the track's budget: open
    ("올해 이 부문 예산 총액 알려주세요", "not_in_source", "faq:total_budget"),
    ("과제 하나당 예산은 얼마예요", "answer", "faq:max_amount"),                        # one challenge's: answered
])
def test_the_tracks_total_budget_is_an_open_question(core, question, kind, entry):
    answer, text = ask(core, question)
    assert answer.kind == kind and entry in answer.entry_id, (question, answer.kind, answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "kind", "entry"), [
    ("팁스 하는데 같이 해도 됨?", "not_in_source", "faq:concurrent_projects"),  # alongside another programme
    ("팁스 신청 방법", "out_of_scope", None),                                                # that programme itself
    ("TIPA 콜센터 번호", "not_in_source", "faq:contact"),          # an organisation's name qualifies what follows
    ("중기부 담당자 연락처", "not_in_source", "faq:contact"),
])
def test_another_programme_alongside_and_an_organisations_contact(core, question, kind, entry):
    answer, text = ask(core, question)
    assert answer.kind == kind and answer.entry_id == entry, (question, answer.kind, answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "intent"), [
    ("죄송하지만 실제 상담원 맞으신가요?", "smalltalk_identity"),
    ("너 혹시 챗gpt냐", "smalltalk_identity"),
    ("어떤 정보까지 안내해 주실 수 있나요?", "smalltalk_capability"),
])
def test_who_and_what_the_bot_is_in_more_words(core, question, intent):
    answer, text = ask(core, question)
    assert answer.kind == "smalltalk" and answer.entry_id == intent, (question, answer.kind, answer.entry_id, text[:100])
    assert "」을" not in text and "」를" not in text  # no particle guessed after the staff-edited programme name


@pytest.mark.parametrize(("question", "entry"), [
    ("gwaje maegam is when?", "faq:deadline"),              # romanised Korean words
    ("which docs should we prepare", "faq:documents"),
    ("Is the SME the lead organization here?", "faq:what_is_lead_org"),
])
def test_romanised_korean_and_more_english_words(core, question, entry):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and answer.entry_id.startswith(entry), (question, answer.kind, answer.entry_id)


@pytest.mark.parametrize(("question", "kind"), [
    ("한화는요? 저희가 방산 부품 하니까 잘 맞을 것 같은데", "answer"),   # not among the ten: said so, with the ten
    ("삼성전자 주가 얼마예요", "out_of_scope"),                          # that company's own business
])
def test_a_company_not_among_the_ten_asked_about_as_a_fit(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:100])
    if kind == "answer":
        assert "없어요" in text and "풀무원" in text, text[:200]


def test_a_period_after_an_amount_is_not_part_of_it():
    from bot.program import parse_krw
    assert parse_krw("3.5억 14개월") == 350_000_000          # not 3억 5천만 14원
    assert parse_krw("3억 5000만 12개월로") == 350_000_000
    assert parse_krw("3억 5천만원") == 350_000_000


@pytest.mark.parametrize(("question", "key", "fact"), [
    ("울 회사 부담금 월로 나누면 얼마예요? 3.5억 14개월 기준", "calc:per_month", "250만"),  # the SME's share a month
    ("수요처 부담이 저희꺼 몇배임", "calc:times", "3배"),     # the parties named, though '배임' reads as a word
])
def test_arithmetic_on_the_shares_in_chat_words(core, question, key, fact):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and key in answer.entry_id and fact in text, (question, answer.entry_id, text[:200])


@pytest.mark.parametrize("question", ["협동조합도 지원할 수 있나요?", "영농조합법인도 지원할 수 있나요"])
def test_whether_a_kind_of_company_may_also_apply_is_an_open_question(core, question):
    answer, text = ask(core, question)   # words the programme never uses name the kind of company, not a subject
    assert answer.kind == "not_in_source" and answer.entry_id == "faq:eligibility", (question, answer.kind, text[:100])


@pytest.mark.parametrize("question", ["부산창조경제혁신센터 담당자 전화번호 알려주세요", "인천센터 담당자 연락처좀"])
def test_an_open_question_asked_of_a_centre_is_that_open_question(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source" and answer.entry_id == "faq:contact", (question, answer.kind, text[:100])


@pytest.mark.parametrize(("question", "entry", "fact"), [
    ("접수는 어데서 하는 기고?", "faq:where_apply", "SMTECH"),              # 경상: 어데, 하는 기고
    ("수요처가 30% 낸다카모 돈으로 얼마고?", "calc:percent", "1억 500만"),   # 낸다카모: 낸다고 하면; its share at the maximum
])
def test_more_gyeongsang_endings_and_a_partys_own_share_in_won(core, question, entry, fact):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and entry in answer.entry_id and fact in text, (question, answer.entry_id, text[:150])


def test_the_ministrys_former_name_is_the_ministry(core):
    answer, text = ask(core, "중기청에서 하는 사업인가요?")
    assert answer.kind == "answer" and "중소벤처기업부" in text, (answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "kind"), [
    ("팁스보다 이 사업은 정부 지원 비율이 어떻게 돼요?", "answer"),          # compared, this one asked
    ("창업도약패키지는 기간이 긴데 이 과제는 최대 몇 개월이에요?", "answer"),
    ("디딤돌 과제 마감 언제예요", "out_of_scope"),                           # that programme's own question
])
def test_another_programme_only_compared_with_this_one(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "kind"), [
    ("그쪽은 누구시오? 사람이오 기계요?", "smalltalk"),        # who the bot is, in words the phrasings never use
    ("연애 상담 좀 해줄수있어? 썸타는 사람이 답장을 안해", "out_of_scope"),
])
def test_who_the_bot_is_in_words_of_ones_own(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:100])


def test_a_company_not_among_the_ten_spelt_in_hangul(core):
    answer, text = ask(core, "씨제이제일제당 과제는 없나요?")
    assert answer.kind == "answer" and "없어요" in text, (answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "fact", "wrong"), [
    ("저희 총사업비는 2억이에요. 정부랑 수요처랑 저희 각각 얼마씩 내요?", "1억 2천만", "20억"),   # the budget told first
    ("저희가 잡은 사업비가 3억이에요. 정부, 수요처, 저희 몫 각각 얼마인지 알려 주세요.", "9천만", "30억"),
])
def test_a_budget_told_before_the_question_is_split_among_the_parties(core, question, fact, wrong):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and fact in text and wrong not in text, (question, answer.entry_id, text[:200])


def test_a_sum_over_two_named_challenges_is_one_question(core):
    answer, text = ask(core, "교보생명 과제랑 KT 과제 합치면 최대 사업비가 얼마예요?")
    assert answer.kind == "answer" and "calc:total" in answer.entry_id and "7억" in text, (answer.entry_id, text[:200])


@pytest.mark.parametrize("question", ["과제 낸 기업들 목록 좀 주세요", "수요기업 10곳 명단 부탁해요"])
def test_the_list_of_the_companies_is_asked_for(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and all(c in text for c in ("교보생명", "풀무원", "KT")), (question, answer.entry_id)


def test_an_off_topic_question_asked_with_a_question_mark_before_a_statement(core):
    # The question has no question word, only its mark; the figure after it is the asker's own.
    answer, text = ask(core, "부가세 신고 좀 도와주실 수 있어요? 지난 분기 매출이 2억 원이었어요.")
    assert answer.kind == "out_of_scope", (answer.kind, answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "kind"), [
    ("기보 보증 한도 얼마까지 나와요?", "out_of_scope"),              # another organisation's own product
    ("중진공 정책자금 받으려면 신용등급 몇 등급이어야 돼요?", "out_of_scope"),
    ("중진공 정책자금 받은 기업도 신청 가능해요?", "not_in_source"),  # tied to applying here
    ("중진공 사업 맞나요?", "answer"),                                # whose programme this is
    ("스마트공장 보급사업 지원 받으려면 요건이 뭐예요?", "out_of_scope"),  # to receive that, not this
])
def test_another_organisations_or_programmes_own_product(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:100])


@pytest.mark.parametrize("question", ["특허는 누구 거예요? 저희? 대기업? 정부?",        # options offered after one question
                                      "개발한 기술 소유권은 수요처랑 어떻게 나누나요?"])  # shared with whom, not a topic
def test_options_and_sharing_with_a_party_leave_one_open_question(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source" and answer.entry_id == "faq:ip_ownership", (question, answer.entry_id)


def test_a_big_unit_without_a_figure_is_no_amount():
    from bot.program import parse_krw
    assert parse_krw("예산 몇 억 이에요") is None            # the copula's 이 is no 2, 억 alone no amount
    assert parse_krw("3억 이에요") == 300_000_000


@pytest.mark.parametrize(("question", "kind"), [
    ("올해 이 사업 전체 예산은 몇 억 이에요?", "not_in_source"),                # this programme's budget
    ("저희 부담금을 정책자금으로 내도 되나요?", "not_in_source"),              # paying this programme's share
])
def test_a_staff_listed_subject_made_this_programmes_by_what_comes_before(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:100])


@pytest.mark.parametrize("question", ["자부담은 두 번에 나눠서 내도 되나요?", "중소기업 부담분을 대출받아서 내도 돼요?"])
def test_how_the_sme_share_may_be_paid_is_an_open_question(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source", (question, answer.kind, answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "kind"), [
    ("홍보 문구 맞춤법 검사 좀 해줘요", "out_of_scope"),                # a task, not a question
    ("배터리 운송 관련 법령 좀 알려주세요", "out_of_scope"),            # the law on a challenge's subject
    ("김영준 팀장이 한 말 요약해 주세요", "answer"),                     # a summary of the source is answered
])
def test_proofreading_and_regulations_are_not_the_programme(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "kind", "entry"), [
    ("귀하는 어느 기관이 만든 챗봇입니까?", "smalltalk", "smalltalk_identity"),   # the bot asked about, in domain words
    ("이 봇은 어떤 질문에 답변해 주나요?", "smalltalk", "smalltalk_capability"),
    ("너는 마감일 알아?", "answer", "faq:deadline"),                            # a fact asked of the bot
])
def test_the_bot_as_the_subject_of_the_question(core, question, kind, entry):
    answer, text = ask(core, question)
    assert answer.kind == kind and answer.entry_id == entry, (question, answer.kind, answer.entry_id, text[:100])


@pytest.mark.parametrize(("question", "intent"), [
    ("gamsahamnida!", "smalltalk_thanks"), ("Have a great day!", "smalltalk_bye"), ("네 잘 받았습니다", "smalltalk_ack"),
])
def test_more_small_talk_words(core, question, intent):
    answer, text = ask(core, question)
    assert answer.kind == "smalltalk" and answer.entry_id == intent, (question, answer.kind, answer.entry_id)


def test_a_monthly_average_with_the_budget_in_the_next_sentence(core):
    answer, text = ask(core, "개발 기간 꽉 채우면 한 달 평균 연구개발비가 얼마예요? 3억 5천 기준이요.")
    assert answer.kind == "answer" and "calc:per_month" in answer.entry_id and "2,500만" in text, (answer.entry_id, text[:150])


@pytest.mark.parametrize(("question", "entry"), [
    ("How were the ten challenges validated?", "faq:verification"),
    ("How does this track differ from the 구매연계형 one?", "faq:diff_from_purchase_linked"),
])
def test_more_english_programme_words(core, question, entry):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and answer.entry_id.startswith(entry), (question, answer.kind, answer.entry_id)


def test_a_why_question_after_another_is_answered_too(core):
    answer, text = ask(core, "발굴은 어떻게 했는지, 그리고 왜 대기업 구매 의무가 없는 건지 설명 부탁드려요.")
    assert answer.kind == "answer" and "faq:why_exemption" in answer.entry_id, (answer.entry_id, text[:150])


def test_a_challenge_set_aside_with_the_word_for_challenge(core):
    answer, text = ask(core, "풀무원 과제 말고 식품 공장 안전 쪽으로 맞는 거 있어요?")
    assert answer.kind == "answer" and "ch:pulmuone" not in answer.entry_id and "배합비" not in text, (answer.entry_id, text[:150])


@pytest.mark.parametrize(("question", "kind"), [
    ("청년내일채움공제 지원금 조건 알려주세요", "out_of_scope"),                 # another grant by its own name
    ("고용창출 장려금 신청 기간이 언제예요?", "out_of_scope"),
    ("수출바우처 받고 있는데 이것도 신청 돼요?", "not_in_source"),              # doing both: tied to this one
    ("정부 지원금은 최대 얼마예요?", "answer"),                                  # this programme's own money
])
def test_another_grant_named_by_words_the_programme_never_uses(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:100])


# A review of this round's rules found these questions answered wrongly by them; each keeps its earlier answer.
@pytest.mark.parametrize(("question", "kind", "entry"), [
    ("너 로봇 과제 있어?", "answer", "ch:kt"),                                    # '로봇' is no bot
    ("그쪽 담당자 email 주소 알려줘", "not_in_source", "faq:contact"),             # 'email' holds no 'ai'
    ("챗봇 말고 사람 담당자 연락처 알려줘", "not_in_source", "faq:contact"),
    ("얼마정도 지원돼요?", "answer", "faq:max_amount"),                            # '정도' ends a noun, no '도'
    ("시제품 제작비도 지원되나요?", "not_in_source", "faq:funding_rules"),         # a cost covered, not who applies
    ("기업이 팁스 신청하려면 어디로 가요?", "out_of_scope", None),                # the particle 이 is no '이 사업'
    ("팁스는 기업이 사업의 몇 프로 내요?", "out_of_scope", None),
    ("복합기랑 프린터 동시에 살까요?", "out_of_scope", None),                     # nothing done alongside this
    ("선정되면 계획서 교정해서 다시 내야 하나요?", "answer", "faq:plan_required"),  # '교정해서' asks no task
    ("메모리 용량은 기가?", "out_of_scope", None),                                # '기가' is a noun here
])
def test_this_rounds_rules_keep_their_hands_off(core, question, kind, entry):
    answer, text = ask(core, question)
    assert answer.kind == kind and (entry is None or answer.entry_id.startswith(entry)), \
        (question, answer.kind, answer.entry_id, text[:100])


def test_another_grant_with_a_particle_after_its_name(core):
    answer, text = ask(core, "사회적기업 일자리창출 인건비 지원사업은 신청 기간 언제예요?")
    assert answer.kind == "out_of_scope", (answer.kind, answer.entry_id)


# -- round 11 ---------------------------------------------------------------------------------------------
# A named challenge's detailed requirements are not in the source: the challenge is named, and the reply is honest.
@pytest.mark.parametrize(("question", "entry", "fact"), [
    ("풀무원 과제 목표 성능 수치가 정해져 있어요?", "faq:challenge_specs", "배합비"),
    ("GS리테일 과제 실증할 매장은 GS가 제공해주나요?", "faq:challenge_specs", "무인매장"),
    ("KT 과제 요구사항 구체적으로 뭐예요?", "faq:challenge_specs", "서빙/배송로봇"),
    ("롯데 과제 하려면 물류 납품 실적이 필수인가요?", "faq:eligibility", "EV배터리"),
])
def test_a_challenges_detailed_requirements_are_not_in_the_source(core, question, entry, fact):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source" and entry in answer.entry_id and fact in text, \
        (question, answer.kind, answer.entry_id, text[:150])


@pytest.mark.parametrize(("question", "kind", "fact"), [
    ("우리 집 김치 양념 배합비 좀 알려줘", "out_of_scope", None),   # told to give, in words foreign to the programme
    ("배합비 과제 알려줘", "answer", "풀무원"),                    # ... but a challenge asked for is answered
    ("롯데 과제가 뭘 요구하는 건지 궁금해요", "answer", "EV배터리"),  # what a challenge asks for: its card
])
def test_told_to_give_the_thing_itself(core, question, kind, fact):
    answer, text = ask(core, question)
    assert answer.kind == kind and (fact is None or fact in text), (question, answer.kind, answer.entry_id, text[:150])


@pytest.mark.parametrize(("question", "entry", "fact"), [
    ("정부는 50% 지원하는 걸로 이해했는데 맞을까요", "faq:gov_share", "60%"),   # a claim understood, corrected
    ("이거 과기정통부 사업 맞죠?", "faq:organizers", "중기부"),                 # another ministry claimed for this one
])
def test_a_wrong_claim_is_corrected(core, question, entry, fact):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and answer.entry_id.startswith(entry) and fact in text, \
        (question, answer.kind, answer.entry_id, text[:150])


@pytest.mark.parametrize(("question", "kind"), [
    ("좋은 아침입니다. 이 채널 처음 이용해 봐요.", "smalltalk"),
    ("답변 고맙습니다. 대표님께 그대로 보고 드릴게요.", "smalltalk"),
    ("안녕하세요. 마감일이 언제예요?", "answer"),                          # a question after the greeting
    ("저희는 배달로봇 관제 소프트웨어를 만듭니다. 잘 부탁드립니다.", "answer"),  # a company describing itself
])
def test_a_message_of_small_talk_and_news_that_asks_nothing(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:150])


def test_companies_told_apart_by_a_letter_each_get_their_challenge(core):
    answer, text = ask(core, "A사는 매장 선반 카메라 상품 인식, B사는 폐플라스틱 근적외선 선별기 만들어요. 각각 어디 맞아요?")
    assert answer.kind == "answer" and "ch:gsretail" in answer.entry_id and "ch:skecoplant" in answer.entry_id, \
        (answer.entry_id, text[:200])


@pytest.mark.parametrize(("question", "facts"), [
    # a company not among the ten, and what is asked about the challenge believed to be its
    ("네이버 물류 과제 있다던데 그거 마감 언제예요?", ["네이버", "26일"]),
    ("LG디스플레이 반도체 과제 나왔다며", ["LG디스플레이", "10개"]),
])
def test_a_challenge_believed_to_be_another_companys(core, question, facts):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and all(f in text for f in facts), (question, answer.kind, answer.entry_id, text[:200])


@pytest.mark.parametrize(("question", "entries"), [
    # pieces that ask with a question word and a verb of their own, after a 하오체 statement of background
    ("안녕하세요. 금형 30년 했소. 언제까지 내냐, 몇 달 하냐", ["faq:deadline", "faq:max_period"]),
    # the count of the challenges on a subject, asked in 곳
    ("수요처 중에 보험사는 몇 곳이고 과제명은 뭐예요?", ["ch:kyobo", "ch:dbins"]),
    # whether the asker fits a named company's challenge, in words the challenges never use
    ("AI 물류 시뮬레이션 하는데 롯데 거랑 맞을까요", ["ch:lotte"]),
])
def test_round_11_pieces_counts_and_fits(core, question, entries):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and all(e in answer.entry_id for e in entries), (question, answer.entry_id, text[:200])
    if "몇 곳" in question:
        assert "2개" in text, text[:200]


def test_a_weak_fit_no_other_challenge_comes_near_is_named(core):
    # The words fit the process-intelligence challenge only a little, and no other challenge at all.
    answer, text = ask(core, "그룹웨어 이벤트 로그로 업무 흐름도를 그려 주는 솔루션을 개발합니다. 10개 중에 들어맞는 게 있을까요?")
    assert answer.kind == "answer" and answer.entry_id == "ch:kyobo", (answer.kind, answer.entry_id, text[:150])


@pytest.mark.parametrize(("question", "entry"), [
    ("이 방식으로 대기업이 실제 구매한 비율 같은 통계 있나요?", "faq:purchase_record"),   # a new honest entry
    ("제출하고 나서 계획서 수정하거나 취소할 수 있나요?", "faq:application_format"),      # after submitting
    ("서류 보완 기간은 따로 있어요?", "faq:application_format"),
    ("선정되면 수요처랑 NDA를 맺어야 하나요?", "faq:after_selection"),
    ("수요처 담당 부서와 직접 소통할 수 있나요?", "faq:demand_meeting"),
    ("자부담을 더 많이 내면 평가에서 유리한가요?", "faq:evaluation"),
])
def test_round_11_questions_the_source_leaves_open(core, question, entry):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source" and answer.entry_id == entry, (question, answer.kind, answer.entry_id)


def test_a_trigger_inside_a_latin_name_is_no_trigger(core):
    # 'nda' (a non-disclosure agreement) is inside 'Hyundai': the challenge is asked for, not what follows selection.
    answer, text = ask(core, "What is the HD Hyundai Heavy Industries challenge about?")
    assert answer.kind == "answer" and "after_selection" not in answer.entry_id and "충돌방지" in text, \
        (answer.kind, answer.entry_id, text[:150])


def test_the_reason_given_after_a_question_is_no_question(core):
    answer, text = ask(core, "마감 언제예요? 내부 보고에 필요해서요")
    assert answer.kind == "answer" and answer.entry_id == "faq:deadline", (answer.entry_id, text[:150])


def test_a_run_on_message_of_embedded_questions(core):
    # No full stop anywhere: the questions are '…는지 …는지', and a reason follows the thanks.
    answer, text = ask(core, "저는 대구에서 기계 부품 만드는 사람인데 지원금은 얼마까지 나오는지 기간은 얼마나 되는지 "
                             "알려주시면 감사하겠습니다 눈이 침침해서요")
    assert answer.kind == "answer" and "14개월" in text and "3억 5천만 원" in text, (answer.entry_id, text[:200])


@pytest.mark.parametrize(("question", "entry"), [
    ("교보 과제랑 KT 과제 금액 상한이 서로 달라요?", "faq:max_amount"),
    ("풀무원이랑 섹타나인 과제 기간 똑같아요?", "faq:max_period"),
])
def test_two_challenges_figures_compared_are_the_same(core, question, entry):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and entry in answer.entry_id and "10개 과제 모두 같아요" in text, \
        (question, answer.entry_id, text[:200])


def test_a_total_budget_given_is_split_not_worked_back(core):
    # The amount follows the total budget's word: it is the total, not the government's share.
    answer, text = ask(core, "총사업비가 2억이라면 정부는 최대 얼마 받아요?")
    assert answer.kind == "answer" and "1억 2천만 원" in text and "calc:inverse" not in answer.entry_id, \
        (answer.entry_id, text[:200])


def test_challenges_asked_by_subjects_the_model_knows_little_of(core):
    # 'IoT' is in no entry's phrasings, only in a challenge's data; each subject gets its challenge.
    answer, text = ask(core, "IoT 과제, 영상 분석 과제 각각 어느 회사 거예요? 정부 지원 비율도요")
    assert answer.kind == "answer" and "ch:lg" in answer.entry_id and "ch:sectanine" in answer.entry_id \
        and "60%" in text, (answer.entry_id, text[:300])


@pytest.mark.parametrize(("question", "kind"), [
    ("중기부 정책 공부할 만한 강의 추천 부탁해요", "out_of_scope"),   # a recommendation of something else
    ("김영준 팀장님 인터뷰 말고 다른 인터뷰 추천 좀", "out_of_scope"),
    ("영상 분석 쪽 과제 추천해줘", "answer"),                         # ... a challenge is what the bot recommends
    ("원료 데이터로 배합을 추천해주는 ML 엔진 만들어요. 식품 쪽에 맞을까요", "answer"),  # '추천해주는' describes
])
def test_the_bot_recommends_challenges_only(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id, text[:150])


@pytest.mark.parametrize(("question", "entry"), [
    ("개발 기간 14개월은 언제부터 세요?", "faq:other_dates"),                        # when it starts is no span
    ("담당 팀장님 이메일 주소 알 수 있나요? 강연 요청 드리려고요", "faq:contact"),      # a purpose after the question
    ("수요처가 실제로 구매까지 하는 비율은 얼마나 되나요?", "faq:purchase_record"),
    ("저희 대표님이 외국 국적이에요. 그래도 지원 가능해요?", "faq:eligibility"),       # who asks, told before 'may we?'
])
def test_round_11_more_open_questions(core, question, entry):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source" and answer.entry_id == entry, (question, answer.kind, answer.entry_id)


@pytest.mark.parametrize(("question", "entry"), [
    ("대기업이랑 비밀유지 계약 체결해야 해요?", "faq:after_selection"),       # '랑 … 체결': with whom, no second topic
    ("특허는 수요처와 공동소유인가요?", "faq:ip_ownership"),
    ("과제 도중에 수요처가 빠지면요?", "faq:after_selection"),
    ("연구노트 써야 하나요?", "faq:after_selection"),
    ("지역 가점 같은 거 있어요?", "faq:evaluation"),
    ("교보 과제 하면 로그 데이터 접근 권한 받을 수 있나요?", "faq:challenge_specs"),
    ("풀무원 과제는 어느 센터가 발굴했어요?", "faq:challenge_origin"),            # a new honest entry
])
def test_round_11_open_questions_of_doing_the_challenge(core, question, entry):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source" and entry in answer.entry_id, (question, answer.kind, answer.entry_id)


@pytest.mark.parametrize("question", [
    "스마트글래스 뭐 사야 돼요? 홀로렌즈 vs 퀘스트",        # shopping for the technology
    "무인 편의점 차리면 수익이 얼마나 나요?",                # the business itself
    "배송로봇 시장 전망 어때요?",
    "공장 CCTV 사람 인식 모델은 어떤 거 쓰는 게 나아요?",   # which tool to use
    "다 쓴 전동킥보드 배터리 어디다 버리나요?",              # household chores with a challenge's words
])
def test_the_technology_or_business_itself_is_off_topic(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "out_of_scope", (question, answer.kind, answer.entry_id, text[:100])


def test_bare_question_words_each_closed_by_a_question_mark(core):
    answer, text = ask(core, "몇 달? 어디서? 언제까지?")
    assert answer.kind == "answer" and all(e in answer.entry_id for e in ("faq:max_period", "faq:deadline")), \
        (answer.entry_id, text[:200])


def test_an_english_question_in_the_programmes_words_is_not_declined(core):
    # Many of its words are in no Korean phrasing, but 'challenge' is the programme's own word.
    answer, text = ask(core, "How many challenge ideas were gathered at first and how many survived the screening?")
    assert answer.kind != "out_of_scope", (answer.kind, answer.entry_id)
    answer, text = ask(core, "whats the weather in busan this weekend")
    assert answer.kind == "out_of_scope", (answer.kind, answer.entry_id)


# A review of this round's rules found these questions answered wrongly by them (each had kept its earlier answer,
# or now gets the one it should); each is a test now.
@pytest.mark.parametrize(("question", "kind", "entry"), [
    ("선정되면 제공받을 수 있는 혜택이 뭐예요?", "answer", "faq:benefits"),               # '제공받' is no challenge spec
    ("신청 서류 요구사항 알려주세요", "answer", "faq:documents"),                          # nor '요구사항' of documents
    ("연구개발계획서 요구조건이 있나요?", "answer", "faq:plan_required"),
    ("기존 실적이 없어도 신청 가능해요?", "not_in_source", "faq:eligibility"),               # a track record, not purchases
    ("선정 성공률 높이는 방법 있나요?", "not_in_source", "faq:evaluation"),
    ("중소기업 입장에서 이 사업이 유리한가요?", "answer", "faq:benefits"),                  # no advantage in evaluation
    ("AR 하는 회사면 DB 과제가 유리할까요?", "answer", "ch:dbins"),
    ("수요처가 나중에 구매 계약을 취소할 수 있나요?", "answer", "faq:purchase_contract"),
    ("안녕하세요. 정부 지원 비율이 궁금합니다.", "answer", "faq:gov_share"),                # a wish is a question
    ("좋은 아침입니다. 접수 방법 문의드려요.", "answer", "faq:how_apply"),
    ("안녕하세요. 과제 목록 확인 부탁드립니다.", "answer", "faq:challenge_list"),
    ("로봇 관련 추천 부탁해요", "answer", "ch:kt"),                                         # a subject's challenges
    ("배터리 관련된 거 골라줘", "answer", "ch:lotte"),
    ("정수기 필터 유량 쪽 알려줘", "answer", "ch:lg"),                                      # an area of the challenges
    ("저희 대표가 외국인이에요. 마감 지나서도 신청 가능?", "answer", "faq:late_submission"),  # not the bare 'may we?'
    ("벤처인증 있는 회사입니다. 온라인으로 접수 가능한가요?", "answer", "faq:where_apply"),
    ("마감일하고 협약 체결일 알려주세요", "answer", "faq:deadline"),                         # '체결일' is no 'with'
    ("사업비 3억으로 알고 있는데 저희가 10% 내면 얼마예요?", "answer", "calc:percent"),     # a premise, not a claim
    ("KT랑 LG 과제 신청 기간 같아요?", "answer", "faq:deadline"),                           # 신청 기간 is the window
    ("정부 지원이 60%인지 70%인지 헷갈리는데 몇 프로예요?", "answer", "faq:gov_share"),     # alternatives, one question
])
def test_this_rounds_rules_keep_their_hands_off_too(core, question, kind, entry):
    answer, text = ask(core, question)
    assert answer.kind == kind and answer.entry_id.startswith(entry), (question, answer.kind, answer.entry_id, text[:100])
    if "60%인지" in question:
        assert answer.entry_id == "faq:gov_share", answer.entry_id


@pytest.mark.parametrize(("question", "entries"), [
    ("언제까지 내냐, 얼마까지 주냐", ["faq:deadline", "faq:max_amount"]),
    ("언제까지 내요, 얼마까지 줘요, 몇 달 해요?", ["faq:deadline", "faq:max_amount"]),
])
def test_pieces_asking_how_much_are_questions_of_their_own(core, question, entries):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and all(e in answer.entry_id for e in entries), (question, answer.entry_id)


# -- round 12 ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("question", "kind", "entry", "facts"), [
    # a question about one of the programme's own figures, in a word no phrasing uses ('고정값')
    ("중소기업 10%는 최소치예요 고정값이에요?", "answer", "faq:sme_share", ["10%"]),
    # an organisation's name asked in another form: its Latin short name beside it
    ("티파 영문 약자 알려줘", "answer", "org:tipa", ["중소기업기술정보진흥원(TIPA)"]),
    ("중기부 정식 명칭이 뭐예요?", "answer", "org:mss", ["중소벤처기업부"]),
    # the parent programme's name ('… 신제품 …') is no technology
    ("구매조건부 신제품 개발사업 누가 해요?", "answer", "faq:parent_program", ["TIPA"]),
    ("중소기업이 누리는 이점은요?", "answer", "faq:benefits", ["매출"]),
    # '중에서' is no slip of '중요'
    ("10개 과제 중에서 보험 쪽은 어디예요?", "answer", "ch:kyobo", ["DB손해보험"]),
    # a company not among the ten, by its name or by a big company's suffix
    ("효성 과제도 있나요?", "answer", "faq:challenge_list", ["효성", "10개 과제를 낸 기업에 없어요"]),
    ("한미인더스트리 과제 있어요?", "answer", "faq:challenge_list", ["한미인더스트리", "없어요"]),
    # what the large company gains is why its purchase obligation was waived
    ("대기업 쪽에서는 뭐가 좋아서 참여해요?", "answer", "faq:why_exemption", ["도전적"]),
    ("신청은 어디서 하는 거유", "answer", "faq:where_apply", ["SMTECH"]),
])
def test_round_12_readings(core, question, kind, entry, facts):
    answer, text = ask(core, question)
    assert answer.kind == kind and answer.entry_id.startswith(entry), (question, answer.kind, answer.entry_id, text[:120])
    for fact in facts:
        assert fact in text, (question, fact, text[:300])
    if entry == "faq:parent_program":
        assert "배합비" not in text, text[:200]  # (not 풀무원's 'AI 활용 신제품 배합비 …')


def test_bare_jamo_in_a_longer_message_are_tone_not_thanks(core):
    answer, _ = ask(core, "개발 기간, 중소기업 부담, 마감일 한번에 ㄱㄱ")
    assert answer.entry_id.split(",") == ["faq:max_period", "faq:sme_share", "faq:deadline"], answer.entry_id
    answer, _ = ask(core, "ㄳㄳ")
    assert answer.kind == "smalltalk", answer.kind  # (a message of a word or two keeps its jamo)


def test_a_comma_after_a_comparison_ending_in_go_starts_a_new_question(core):
    answer, text = ask(core, "구매연계형이랑 뭐가 다르고, 신청은 어디서 해요?")
    assert answer.entry_id == "faq:purchase_linked_track,faq:where_apply", answer.entry_id
    assert "구매계약서" in text and "SMTECH" in text


def test_a_noun_made_a_modifier_by_jeok_is_no_foreign_topic(core):
    answer, _ = ask(core, "서류는 기본적으로 무엇이 들어가나요?")
    assert answer.kind != "out_of_scope", answer.kind  # ('기본적으로' is how, not what about)


def test_another_scheme_named_by_its_jedo_stays_off_topic(core):
    answer, _ = ask(core, "중소기업 제품 공공구매 제도 신청하려면")
    assert answer.kind == "out_of_scope", (answer.kind, answer.entry_id)


@pytest.mark.parametrize(("question", "facts"), [
    ("한 달에 2,500만 원씩 12개월 쓰면 총 얼마예요?", ["3억 원", "상한 3억 5천만 원 안이에요"]),
    ("매달 3천만씩 14개월이면 합계는?", ["4억 2천만 원", "넘어요"]),
    ("14개월 절반 지났을 때까지 쓸 수 있는 돈은 얼마예요?", ["7개월", "1억 7,500만 원"]),
    ("우리가 10% 내면 나머지는 누가 얼마씩 내요?", ["정부 지원 최대 2억 1천만 원", "수요처 부담 최소 1억 500만 원"]),
])
def test_round_12_arithmetic(core, question, facts):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and answer.entry_id.startswith("calc:"), (question, answer.entry_id)
    for fact in facts:
        assert fact in text, (question, fact, text)


@pytest.mark.parametrize(("said", "standard"), [
    ("계획서 써야 하는 거유", "계획서 써야 하는 거요"),
    ("0원이어도 돼유?", "0원이어도 돼요?"),
    ("맞지유", "맞지요"),
    ("그 이유", "그 이유"),             # a word ending in 유 stays
    ("정보 공유", "정보 공유"),
    ("머가 달라", "뭐가 달라"),
    ("머를 내요", "뭐를 내요"),
    ("머가리", "머가리"),
])
def test_more_regional_endings(said, standard):
    from bot.korean import standardize
    assert standardize(said) == standard


@pytest.mark.parametrize(("question", "kind", "entry", "facts"), [
    # the model sure it is off-topic, the open question's entry all but ruled out: the trigger ('대행') is the
    # other subject's
    ("엑셀 작성 대행 업체 추천 좀", "out_of_scope", "", []),
    ("신청 대행 업체 써도 돼요?", "not_in_source", "faq:fees", []),    # (the programme's own: still open)
    # the three shares as one ratio
    ("정부, 수요처, 중소기업 분담 몇 대 몇 대 몇이에요?", "answer", "calc:ratio3", ["6 : 3 : 1", "60% 이내"]),
    # the ministry's name alone made it a question of the government's share
    ("중기부가 이걸 왜 만든 거예요?", "answer", "faq:background", []),
    ("상생형도전과제 누가 운영해요", "answer", "faq:organizers", ["서울창조경제혁신센터"]),
])
def test_round_12_readings_more(core, question, kind, entry, facts):
    answer, text = ask(core, question)
    assert answer.kind == kind and (answer.entry_id or "").startswith(entry), (question, answer.kind, answer.entry_id)
    for fact in facts:
        assert fact in text, (question, fact, text[:300])


@pytest.mark.parametrize(("question", "entries"), [
    # a comma after an embedded question ending in '-지' starts the next question
    ("구매연계형과 뭐가 다른지, 마감은 언제인지 알려주세요", ["faq:diff_from_purchase_linked", "faq:deadline"]),
    # a '-고' closing a question-word question, then a new topic with its own question word
    ("개발 기간은 얼마나 되고 수요처 부담은 몇 %인지 알려주세요", ["faq:max_period", "faq:demand_share"]),
    ("인터뷰한 팀장은 어디 소속이고 기사는 누가 썼어요?", ["faq:interviewee", "faq:article_source"]),
    # a share asked of a party the model cannot tell apart is still a question of its own
    ("롯데 쪽 과제 이름, 저희가 내야 하는 최소 비율, 마감일을 알려주실 수 있을까요?",
     ["ch:lotte", "faq:sme_share", "faq:deadline"]),
])
def test_round_12_several_questions(core, question, entries):
    answer, _ = ask(core, question)
    assert answer.kind == "answer" and answer.entry_id.split(",") == entries, (question, answer.entry_id)


@pytest.mark.parametrize(("question", "kind", "entry"), [
    ("마감일을 알려주실 수 있을까요", "answer", "faq:deadline"),            # the polite frame says how, not what
    ("붙으면 과제는 언제부터 시작해요?", "not_in_source", "faq:other_dates"),  # the project's start, not the track's
    ("이 부문 언제부터 생긴 거예요?", "answer", "faq:new_this_year"),          # (when it was created: answered)
])
def test_round_12_frames_goodbyes_and_starts(core, question, kind, entry):
    answer, _ = ask(core, question)
    assert answer.kind == kind and answer.entry_id == entry, (question, answer.kind, answer.entry_id)


@pytest.mark.parametrize(("question", "key", "facts"), [
    ("총 연구개발비 3.5억, 14개월이면 분기별로 균등하게 쓸 때 분기당 얼마예요?", "calc:per_quarter", ["7,500만 원"]),
    ("반기마다 똑같이 쓰면 반기당 얼마 쓰는 셈이에요? 14개월 기준", "calc:per_quarter", ["1억 5천만 원"]),
    ("과제 3개 최대 금액 합은요?", "calc:total", ["10억 5천만 원"]),
])
def test_round_12_spans_and_sums(core, question, key, facts):
    answer, text = ask(core, question)
    assert key in answer.entry_id.split(","), (question, answer.entry_id, text[:200])
    for fact in facts:
        assert fact in text, (question, fact, text)


def test_a_companys_ask_in_english_is_its_challenge(core):
    answer, text = ask(core, "GS Retail - whats their ask?")
    assert answer.kind == "answer" and "ch:gsretail" in answer.entry_id and "완전무인매장" in text, answer.entry_id


# A review of this round's rules found these misfires; each is fixed and kept here.
@pytest.mark.parametrize(("question", "kind", "entry", "facts"), [
    ("창업도약패키지 신청하려고 해서 그런데 마감 언제예요?", "out_of_scope", "", []),   # another programme's reason
    ("14개월 아기 이유식 추천", "out_of_scope", "", []),                               # '14개월' alone is no figure
    ("14개월 동안 엑셀 시트 두개 합치는 법", "out_of_scope", "", []),
    ("수요처 대기업 복지 좋아요?", "out_of_scope", "", []),
    ("대기업 담당자 결혼식 축의금 얼마 내요?", "out_of_scope", "", []),
    ("정치적으로 어떻게 생각해요?", "out_of_scope", "", []),                            # '-적' of a foreign noun
    ("대기업한테 납품하면 우리한테 어떤 혜택이 있어요?", "answer", "faq:benefits", []),  # the SME's benefit
    ("이 사업 언제 처음 시작했어요?", "answer", "faq:new_this_year", []),               # when it was created
    ("TIPA 영문 사이트에서 신청하나요?", "answer", "faq:where_apply", ["SMTECH"]),      # '영문' is no name asked
    ("리버스엔지니어링 가능한 과제 있어요?", "answer", "faq:challenge_list", []),       # no company suffix
    ("3억 기준으로 정부 수요처 중소기업 몇 대 몇 대 몇이에요? 금액으로요", "answer", "calc", ["1억 8천만 원"]),
    ("절반 기간 동안 정부 지원금은 얼마예요?", "answer", "calc:half_period", ["1억 500만 원"]),
    ("다음에 다시 문의할게요. 근데 마감은 언제예요?", "answer", "", ["12월 26일"]),      # the question still answered
])
def test_round_12_review_misfires(core, question, kind, entry, facts):
    answer, text = ask(core, question)
    assert answer.kind == kind and (answer.entry_id or "").startswith(entry), (question, answer.kind, answer.entry_id)
    assert "기업에 없어요" not in text, text[:200]
    for fact in facts:
        assert fact in text, (question, fact, text[:300])


# -- round 13 ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("question", "kind", "entry"), [
    # a remark on the replies themselves: a reply of its own, not "no sure answer"
    ("답변이 너무 장황해요", "smalltalk", "smalltalk_feedback"),
    ("말투가 좀 딱딱하시네요", "smalltalk", "smalltalk_feedback"),
    ("대답 좀 빨리 해 주세요 너무 늦어요", "smalltalk", "smalltalk_feedback"),
    ("한국말 잘 못해서 죄송해요", "smalltalk", "smalltalk_feedback"),
    # the same words in a task or in a question are no remark on the replies
    ("축사 써 주세요 너무 길지 않게", "out_of_scope", ""),
    ("이 사업 정식 명칭이 뭐예요? 한국어 이름 어려워요", "answer", "faq:program_name"),
    # who the bot is, with an English word in a Korean question
    ("bot 인가요? 상담원 인가요?", "smalltalk", "smalltalk_identity"),
    # a greeting with who the asker is: another subject in the introduction rules nothing out
    ("안녕하세요, 액셀러레이터 심사역입니다. 오늘 처음 들어와 봤어요. 잘 부탁드려요.", "smalltalk",
     "smalltalk_greeting"),
])
def test_round_13_small_talk(core, question, kind, entry):
    answer, text = ask(core, question)
    assert answer.kind == kind and (answer.entry_id or "").startswith(entry), (question, answer.kind, answer.entry_id, text[:120])


@pytest.mark.parametrize(("said", "standard"), [
    ("잘 알겠읍니다", "잘 알겠습니다"),              # the spelling before 1988
    ("사 주는 것이옵니까?", "사 주는 것입니까?"),     # very formal endings
    ("궁금하옵니다", "궁금합니다"),
    ("알고 있사옵니다", "알고 있습니다"),
    ("마감이 몇일이에요", "마감이 며칠이에요"),
    ("처음 여섯 달 동안", "처음 6개월 동안"),        # native numbers of months
    ("열두 달 합치면", "12개월 합치면"),
    ("한 달에 얼마", "한 달에 얼마"),                # (how a monthly amount is asked: kept)
    ("부산 센터 도 참여 했어요?", "부산 센터도 참여 했어요?"),   # a particle written apart from its noun
    ("중기부 는 무슨 뜻 이에요?", "중기부는 무슨 뜻이에요?"),
    ("이 사업", "이 사업"),                          # ('이' before a noun is no particle)
])
def test_old_spelling_native_months_and_lone_particles(said, standard):
    from bot.korean import standardize
    assert standardize(said) == standard


@pytest.mark.parametrize(("question", "entry", "facts"), [
    ("큰 회사가 개발품을 꼭 사 주어야 하는 것이옵니까?", "faq:", ["면제"]),
    ("최대 금액을 14개월 동안 똑같이 나눠 쓰면 처음 넉 달 동안 쓰는 돈은 얼마예요?", "calc", ["1억"]),
    ("인천 센터 도 과제 발굴 에 참여 했어요?", "", ["인천"]),
])
def test_round_13_readings(core, question, entry, facts):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and (answer.entry_id or "").startswith(entry), (question, answer.kind, answer.entry_id, text[:200])
    for fact in facts:
        assert fact in text, (question, fact, text[:300])


@pytest.mark.parametrize(("question", "kind", "entries"), [
    # a follow-up asked only if the answer before is yes belongs to that question
    ("과제가 성공하면 정부에 기술료를 내나요? 낸다면 비율은요?", "not_in_source", ["faq:repayment"]),
    # the second of two answers offered to one question is no question of its own
    ("특허 같은 지식재산권은 중소기업 소유인가요, 수요처 대기업과 공유인가요?", "not_in_source", ["faq:ip_ownership"]),
    # a reason after the question, naming no one, is no request for a challenge
    ("과제별 제안요청서는 어디서 받나요? 기사에는 과제 이름만 있어서요.", "not_in_source", ["faq:notice_details"]),
    # two questions in the same ending, each with its question word, stay two
    ("마감이 언제예요, 최대 기간은 몇 개월이에요?", "answer", ["faq:deadline", "faq:max_period"]),
])
def test_round_13_pieces_that_are_no_question_of_their_own(core, question, kind, entries):
    answer, text = ask(core, question)
    assert answer.kind == kind and (answer.entry_id or "").split(",") == entries, (question, answer.kind, answer.entry_id)


# Misfires of round 13's rules found in review (each fails with the rule as first written).
@pytest.mark.parametrize(("question", "kind", "entries"), [
    # a description of the company's technology after the question is what a fitting challenge is asked for
    ("저희 기술에 맞는 과제가 있나요? 공정 데이터를 AI로 분석하는 솔루션을 만들고 있어서요.", "answer", ["ch:"]),
    # a follow-up with a question word of its own is a question of its own
    ("수행기간은 최대 몇 개월이에요? 선정된다면 언제 시작해요?", "answer", ["faq:max_period", "faq:other_dates"]),
    # two pieces in the same ending, the second with its own topic, are two questions
    ("마감이 26일인가요, 신청은 온라인인가요?", "answer", ["faq:deadline", "faq:where_apply"]),
    # '너무 길어요', '너무 늦어요' about the programme or a contact are no remark on the replies
    ("사업 기간이 너무 길어요", "answer", ["faq:max_period"]),
    ("연락이 너무 늦어요", "not_in_source", ["faq:contact"]),
    # a very formal ending is read as such ('가능하옵니까'), not a plain verb ending in '-옵니까'
    ("신청 가능하옵니까?", "not_in_source", ["faq:eligibility"]),
])
def test_round_13_review_misfires(core, question, kind, entries):
    answer, text = ask(core, question)
    got = (answer.entry_id or "").split(",")
    assert answer.kind == kind and len(got) == len(entries), (question, answer.kind, answer.entry_id, text[:150])
    assert all(g.startswith(e) for g, e in zip(got, entries)), (question, answer.entry_id)


@pytest.mark.parametrize(("said", "standard"), [
    ("결과는 언제 나옵니까?", "결과는 언제 나옵니까?"),    # '나오다': no formal '-옵니까'
    ("각 도 센터가 있나요", "각 도 센터가 있나요"),        # '도' after a one-syllable word is a word of its own
    ("시 도 지원이 있나요", "시 도 지원이 있나요"),
])
def test_round_13_readings_left_as_written(said, standard):
    from bot.korean import standardize
    assert standardize(said) == standard


def test_first_months_only_with_a_number():
    """'처음' spreads the amount only over a number of first months; '처음 받는 건 언제' asks no amount."""
    from bot.arithmetic import _SPREAD
    assert _SPREAD.search("처음 6개월 동안 쓰는 돈")
    assert not _SPREAD.search("최대 금액 처음 받는 건 언제예요?")


# A question about this programme's own workings that no entry covers is an open question of the programme
# ("the source does not say", where to ask), not off-topic; the same words about another programme stay off-topic.
@pytest.mark.parametrize(("question", "kind"), [
    ("사업비로 해외 전시회 부스비 낼 수 있어요?", "not_in_source"),
    ("과제별로 참여 인원 제한 있어요?", "not_in_source"),
    ("창업도약패키지 선정되면 지원금 얼마예요?", "out_of_scope"),
    ("중진공 정책자금 선정되면 언제 나와요?", "out_of_scope"),
    ("연구비로 테슬라 주식 사도 돼요?", "out_of_scope"),
])
def test_this_programmes_open_question_is_not_off_topic(core, question, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind and answer.abstained, (question, answer.kind, answer.entry_id, text[:150])
    if kind == "not_in_source":
        assert "나와 있지 않아요" in text and "서울창조경제혁신센터" in text


# Hearsay asked back and 강원 endings are read in standard form: '-다면서요' and '-다매요' were read by the tagger as a
# noun ('서요', '매요') the programme never uses, and a plain share question was declined as off-topic.
@pytest.mark.parametrize(("said", "standard"), [
    ("정부가 80% 대준다면서요?", "정부가 80% 대준다던데요?"),
    ("정부 70% 준다매요", "정부 70% 준다던데요"),
    ("중소기업 몫이 5%라드만", "중소기업 몫이 5%라던데"),
    ("대기업이 30% 낸다는 거 맞드래요?", "대기업이 30% 낸다는 거 맞아요?"),
    ("고맙드래요", "고마워요"),
    ("말이 어려워서 모르겠드래요", "말이 어려워서 모르겠어요"),
    ("TIPS랑 같은 거 아이래요?", "TIPS랑 같은 거 아니에요?"),
    ("정부가 마카 다 내주는 거예요?", "정부가 모두 다 내주는 거예요?"),
    ("마카롱 가게 추천", "마카롱 가게 추천"),   # a word that starts with '마카' stays
])
def test_hearsay_and_gangwon_endings(said, standard):
    from bot.korean import standardize
    assert standardize(said) == standard


@pytest.mark.parametrize(("question", "entry", "fact"), [
    ("정부가 80% 대준다면서요?", "faq:gov_share", "60%"),
    ("정부 70% 준다매요", "faq:gov_share", "60%"),
    ("중소기업 몫이 5%라드만", "faq:sme_share", "10%"),
])
def test_a_share_heard_and_asked_back_is_answered(core, question, entry, fact):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and answer.entry_id == entry and fact in text, (question, answer.entry_id)


# Whether this programme is some other kind of thing (a job scheme, an internship, a scholarship) is answered with
# what kind of support it is, also where the thing named is a staff-listed off-topic word ('취업', '인턴').
@pytest.mark.parametrize("question", [
    "혹시 이 사업 취업 연계 프로그램인가요?",
    "이거 정부 일자리 사업이에요?",
    "장학금 주는 사업인가요?",
])
def test_this_programme_taken_for_another_kind(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and answer.entry_id == "faq:kind_of_support", (question, answer.entry_id)
    assert "연구개발 자금" in text


@pytest.mark.parametrize("question", [
    "취업 박람회 일정 알려주세요",          # the off-topic subject itself, not this programme taken for it
    "창업도약패키지는 어떤 사업인가요?",    # another programme asked about
])
def test_another_kind_asked_of_something_else_stays_off_topic(core, question):
    answer, _ = ask(core, question)
    assert answer.kind == "out_of_scope", (question, answer.kind, answer.entry_id)


# An apology for one's own writing or questions, or praise of the replies, asks nothing: small talk, not off-topic.
@pytest.mark.parametrize(("question", "intent"), [
    ("제가 맞춤법이 엉망이라 미안합니다", "smalltalk_feedback"),
    ("아 방금 오타 죄송해요 😅", "smalltalk_feedback"),
    ("말 참 잘하네 기계가", "smalltalk_thanks"),
    ("답변 속도 amazing 👍", "smalltalk_thanks"),
])
def test_apology_and_praise_are_small_talk(core, question, intent):
    answer, _ = ask(core, question)
    assert answer.kind == "smalltalk" and answer.entry_id == intent, (question, answer.kind, answer.entry_id)


@pytest.mark.parametrize("question", ["죄송한데 오늘 날씨 어때요", "미안한데 엑셀 함수 좀 알려줘"])
def test_an_apology_before_an_off_topic_question_is_no_small_talk(core, question):
    answer, _ = ask(core, question)
    assert answer.kind == "out_of_scope", (question, answer.kind, answer.entry_id)


# Misfires of the late rules found in review (each failed with the rule as first written).
@pytest.mark.parametrize(("question", "kind"), [
    ("이거 엑셀 버그임?", "out_of_scope"),                       # '이거' points at something else
    ("이거 주식 앱이에요?", "out_of_scope"),
    ("노션은 무료 프로그램인가요?", "out_of_scope"),             # software, not a scheme
    ("탄력근무제 괜찮은 제도인가요?", "out_of_scope"),
    ("출산지원금으로 유모차 사도 돼요?", "out_of_scope"),        # a cue inside another grant's name
    ("우수기업으로 선정되면 세금 감면돼요?", "out_of_scope"),    # selected as something else
    ("선정되면 회식 장소 추천해 주세요", "out_of_scope"),        # a recommendation asked for
    ("학교 과제하면서 참고할 만한 사이트 있어요?", "out_of_scope"),  # a school's task
    ("사장님 말씀이 좋네", "out_of_scope"),                      # praise of someone else
])
def test_late_rules_review_misfires(core, question, kind):
    answer, _ = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id)


@pytest.mark.parametrize(("said", "standard"), [
    ("개발한 제품 브랜드는 수요기업 브랜드래요?", "개발한 제품 브랜드는 수요기업 브랜드래요?"),  # a noun + '래요'
    ("선정되길 바라면서, 서류 다 냈어요", "선정되길 바라면서, 서류 다 냈어요"),                # '-면서' mid-sentence
    ("마카 원료로 건강기능식품 만드는 회사예요", "마카 원료로 건강기능식품 만드는 회사예요"),      # the plant
    ("까다롭드래요", "까다로워요"),
])
def test_late_readings_left_or_fixed(said, standard):
    from bot.korean import standardize
    assert standardize(said) == standard


# The chore itself, named with an honest trigger ('4대보험', '벤처확인'), is off-topic; whether it matters for applying
# here is the programme's open question.
@pytest.mark.parametrize(("question", "kind"), [
    ("신입 직원 4대보험은 어디서 가입시키나요?", "out_of_scope"),
    ("직원 월급에서 4대보험 얼마 떼요?", "out_of_scope"),
    ("벤처확인 유형이랑 절차 알려주세요", "out_of_scope"),
    ("4대보험 가입 안 돼 있어도 신청 돼요?", "not_in_source"),
    ("벤처인증 없어도 지원 가능해요?", "not_in_source"),
])
def test_the_chore_itself_or_whether_it_matters_here(core, question, kind):
    answer, _ = ask(core, question)
    assert answer.kind == kind, (question, answer.kind, answer.entry_id)


# How the asker's share may be paid, and whether a company of some place may apply, are open questions of the
# programme (the source does not say), not off-topic.
@pytest.mark.parametrize(("question", "kind", "entry"), [
    ("우리 10%는 기계로 내도 되나", "not_in_source", "faq:funding_rules"),
    ("저희 몫 10%를 장비로 대신해도 돼요?", "not_in_source", "faq:funding_rules"),
    ("춘천 회사도 되나? 서울 회사만 되는 거 아니에요?", "not_in_source", "faq:eligibility"),
    ("대구 업체도 신청 돼요?", "not_in_source", "faq:eligibility"),
    # an amount going below a share is no way of paying it
    ("수요처가 30% 넘게 내면 중소기업 부담이 10% 밑으로 내려갈 수도 있나요?", "answer", "faq:sme_share"),
])
def test_share_paid_in_kind_and_a_place_of_the_company(core, question, kind, entry):
    answer, _ = ask(core, question)
    assert answer.kind == kind and answer.entry_id == entry, (question, answer.kind, answer.entry_id)


# Writing or submitting the plan in English is a question of its format, which the source leaves open.
@pytest.mark.parametrize("question", ["계획서 를 영어 로 내도 돼요?", "연구개발계획서를 영문으로 작성해도 되나요?"])
def test_the_plan_in_english_is_an_open_question_of_its_format(core, question):
    answer, _ = ask(core, question)
    assert answer.kind == "not_in_source" and answer.entry_id == "faq:application_format", (question, answer.entry_id)


def test_asking_the_bot_in_english_is_no_question_of_the_plan(core):
    answer, _ = ask(core, "영어로 질문해도 돼요?")
    assert answer.entry_id != "faq:application_format", answer.entry_id


# A short company name typed together with '과제' and the question ('교보과제뭐임', 'lg과제뭐'): that company's challenge.
@pytest.mark.parametrize(("question", "entry"), [
    ("풀무과제뭐임", "ch:pulmuone"),
    ("엘지과제머야", "ch:lg"),
    ("db과제뭐냐", "ch:dbins"),
    ("현중과재알려줘", "ch:hdhhi"),
])
def test_a_short_company_name_glued_to_the_challenge_word(core, question, entry):
    answer, _ = ask(core, question)
    assert answer.kind == "answer" and answer.entry_id == entry, (question, answer.kind, answer.entry_id)


def test_a_short_name_inside_another_word_is_still_no_company(core):
    answer, _ = ask(core, "바디과제 같은 건 없죠?")     # ('디과제' holds no 'db')
    assert "ch:dbins" not in (answer.entry_id or ""), answer.entry_id


# Questions numbered with circled or bracketed numbers ('①A사: 마감일 ②B사: …', '(1) … (2) …', '1) … 2) …'):
# every numbered question is answered.
@pytest.mark.parametrize(("question", "entries"), [
    ("센터 협력기관입니다. ①갑사: 신청 마감일 ②을사: 과제당 최대 지원금 ③병사: 중소기업 최소 부담 비율 회신 바랍니다.",
     {"faq:deadline", "faq:max_amount", "faq:sme_share"}),
    ("몇 가지 여쭙니다 (1) 접수처 (2) 최대 수행 기간", {"faq:where_apply", "faq:max_period"}),
    ("질문 두개요 1) 마감 언제 2) 정부 지원 비율", {"faq:deadline", "faq:gov_share"}),
])
def test_numbered_questions_with_circled_or_bracketed_numbers(core, question, entries):
    answer, _ = ask(core, question)
    assert entries <= set((answer.entry_id or "").split(",")), (question, answer.entry_id)


def test_one_circled_number_is_no_list(core):
    answer, _ = ask(core, "① 마감일이 언제예요?")
    assert answer.kind == "answer" and answer.entry_id == "faq:deadline", answer.entry_id


# An off-topic subject set aside ('취업 얘기 말고 …', '대출 빼고') does not rule the question out.
@pytest.mark.parametrize(("question", "entry"), [
    ("채용 얘기 말고요, 이 사업 신청 마감이 언제예요?", "faq:deadline"),
    ("대출 말고 지원금으로 주는 거죠? 정부가 몇 % 내요?", "faq:gov_share"),
])
def test_an_off_topic_subject_set_aside(core, question, entry):
    answer, _ = ask(core, question)
    assert answer.kind == "answer" and entry in (answer.entry_id or ""), (question, answer.kind, answer.entry_id)


def test_an_off_topic_subject_not_set_aside_is_still_declined(core):
    answer, _ = ask(core, "대출 금리 얼마예요?")
    assert answer.kind == "out_of_scope", (answer.kind, answer.entry_id)


# 경상 '-모' for '-면' after a verb of reckoning ('햇수로 치모'), and a month's 'burn' is an amount per month.
@pytest.mark.parametrize(("question", "entry"), [
    ("최대 기간 14개월이믄 연으로 치모 몇 년이고?", "faq:max_period"),
    ("14개월을 햇수로 치모 몇 년 몇 달이고?", "faq:max_period"),
    ("3억을 12개월로 나누모 한 달에 얼마고?", "calc:per_month"),
    ("총 3억이면 월 burn 얼마 정도임?", "calc:per_month"),
])
def test_reckoning_in_dialect_and_a_monthly_burn(core, question, entry):
    answer, _ = ask(core, question)
    assert answer.kind == "answer" and answer.entry_id == entry, (question, answer.kind, answer.entry_id)


# A challenge's detail the source does not give (accuracy, throughput, a certification it needs): the honest reply.
@pytest.mark.parametrize("question", [
    "롯데 배터리 물류 과제 하려면 위험물 운송 인증이 필요한가요?",
    "SK에코플랜트 선별 과제 목표 정확도는 몇 %예요?",
    "폐기물 선별 시스템 처리량 기준이 있나요?",
])
def test_a_challenges_detail_is_not_in_the_source(core, question):
    answer, _ = ask(core, question)
    assert answer.kind == "not_in_source" and "faq:challenge_specs" in answer.entry_id, (question, answer.entry_id)


# Arithmetic: 'the company's' minimum share is the SME's; months after '부담금을' are no amount of it; '…씩 받으면'
# over several challenges is a total; '후보 대비 최종' is the ratio of the challenges found and chosen.
@pytest.mark.parametrize(("question", "entry", "expected"), [
    ("총 3억 5천 기준으로 회사 최소 부담금을 10개월로 나누면 한 달에 얼마예요?", "calc:per_month", "350만"),
    ("2억짜리 과제면 회사가 매달 최소 부담하는 돈이 평균 얼마예요? 10개월 기준", "calc:per_month", "200만"),
    ("과제 4개가 다 3억씩 받는다고 치면 정부 지원은 최대 얼마?", "calc:total", "7억 2천만"),
    ("후보 과제 대비 최종 선정 과제는 몇 퍼센트예요?", "calc:ratio", "25%"),
])
def test_whose_share_and_what_total_a_computation_is_of(core, question, entry, expected):
    answer, text = ask(core, question)
    assert answer.entry_id == entry and expected in text, (question, answer.entry_id, text)


# What the bot can do, asked with English words the phrasings never use: small talk that says what it does.
@pytest.mark.parametrize("question", ["여기서 뭐 물어볼 수 있어요? features 좀 소개 plz",
                                      "이 봇으로 뭘 할 수 있나요? 기능 list 알려줘"])
def test_what_the_bot_can_do_in_words_of_ones_own(core, question):
    answer, _ = ask(core, question)
    assert (answer.kind, answer.entry_id) == ("smalltalk", "smalltalk_capability"), (question, answer.kind)


# University programmes are other programmes; '내 몫' is the SME's share and '배수' asks how many times.
@pytest.mark.parametrize(("question", "kind", "entry"), [
    ("BK21 사업 신청 기간 알려줘요", "out_of_scope", None),
    ("LINC 사업 성과지표 뭐예요", "out_of_scope", None),
    ("정부 몫이 내 몫의 몇배냐", "answer", "calc:times"),
    ("수요처 최소 비율이 중기 최소 비율의 몇 배수야?", "answer", "calc:times"),
])
def test_university_programmes_and_how_many_times_a_share(core, question, kind, entry):
    answer, _ = ask(core, question)
    assert (answer.kind, answer.entry_id) == (kind, entry), (question, answer.kind, answer.entry_id)


# -- round 15: arithmetic on named parties (issue 11, pattern 6) -------------------------------------------------
@pytest.mark.parametrize(("question", "facts"), [
    # two parties written as one group, added up (also beside a third party the question only assumes)
    ("수요처하고 주관기관 최소 부담액 합치면 얼마예요?", ["40%", "1억 4천만 원"]),
    ("우리가 최소만 내면 정부+수요처가 채워주는 돈은 매달 얼마?", ["90%", "3억 1,500만 원", "2,250만 원"]),
    # one share taken from another ('A에서 B 빼면'), and the gap asked across a piece boundary ('… 상한액과 …')
    ("정부 출연금 최대치에서 저희 최소 부담액을 빼면 얼마예요?", ["50%", "1억 7,500만 원"]),
    ("정부 지원 상한액과 중소기업 최소 부담액 사이의 차액은?", ["1억 7,500만 원"]),
    # a party's share over time: per month, per quarter, the first months
    ("국비 지원 최대로 받을 때 month당 얼마예요?", ["정부 지원 2억 1천만 원", "1,500만 원"]),
    ("수요기업 최소 분담금을 분기마다 나눠 내면 분기당 얼마?", ["수요처 부담 1억 500만 원", "2,250만 원"]),
    ("수요처 최소 분담금을 월로 잡고 3개월 누적하면?", ["처음 3개월", "2,250만 원"]),
    # the total behind a share, a party's share over several challenges, a ratio of shares in English words
    ("우리 부담이 딱 5천만 원 되려면 총사업비를 얼마로 잡아야 하나요?", ["5억 원"]),
    ("대기업들이 10개 과제 전부 최소로만 내면 합쳐서 얼마예요?", ["수요처 부담", "10억 5천만 원"]),
    ("gov 비율이 우리 비율의 몇 배?", ["6배"]),
])
def test_sums_gaps_and_spreads_of_the_named_shares(core, question, facts):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and all(f in text for f in facts), (question, answer.entry_id, text[:200])


@pytest.mark.parametrize(("question", "entry"), [
    ("지식재산권은 수요처와 주관기관 중 누구 거예요?", "faq:ip_ownership"),  # two parties, nothing to add up
])
def test_two_parties_named_without_arithmetic_are_no_sum(core, question, entry):
    answer, text = ask(core, question)
    assert answer.entry_id == entry and answer.kind == "not_in_source", (question, answer.entry_id, text[:120])


def test_each_partys_amount_is_not_a_sum_of_two(core):
    answer, text = ask(core, "정부/수요처/우리 회사 각각 금액 알려줘")
    assert all(a in text for a in ("2억 1천만 원", "1억 500만 원", "3,500만 원")) and "합은" not in text, text[:200]


@pytest.mark.parametrize(("question", "facts"), [
    # '얼마 받고 언제까지': two questions joined by '-고' after an amount asked with a space ('얼마 받고')
    ("엘지꺼 하면 최대 얼마 받고 언제까지 내요", ["LG전자", "3억 5천만 원", "12월 26일"]),
    # formal words for the same things ('경위' is how it came about; '열거' is a list)
    ("10개 과제가 나오기까지 선정 경위를 간략히 설명해 주세요", ["40개", "10개"]),
])
def test_an_amount_and_a_date_asked_together_and_formal_words(core, question, facts):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and all(f in text for f in facts), (question, answer.entry_id, text[:200])


@pytest.mark.parametrize(("question", "company"), [
    ("DB손해보험 과제 하면 AR 글라스는 DB가 빌려주나요?", "DB손해보험"),
    ("교보 과제는 소프트웨어만 만들면 되나요? 서버까지 납품해야 하나요?", "교보생명"),
    ("SK에코플랜트 과제 대상 품목이 플라스틱뿐이에요?", "SK에코플랜트"),
])
def test_a_detail_of_a_named_challenge_is_open_and_names_the_challenge(core, question, company):
    answer, text = ask(core, question)
    assert answer.kind == "not_in_source" and "faq:challenge_specs" in answer.entry_id, (question, answer.entry_id)
    assert company in text and "세부 요구사항" in text, text[:200]


@pytest.mark.parametrize("question", ["롯데 과제 폐배터리까지 포함이에요?", "LG전자 과제에서 유량 센서 개발하면 되는 거죠?"])
def test_what_a_challenges_title_says_is_still_answered(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and answer.form == "challenge", (question, answer.entry_id, text[:120])


@pytest.mark.parametrize("question", ["오 생각보다 똑똑한데 ㅋㅋ", "오 진짜 똑똑한데?"])
def test_a_short_remark_of_praise_gets_thanks(core, question):
    answer, text = ask(core, question)
    assert (answer.kind, answer.entry_id) == ("smalltalk", "smalltalk_thanks"), (question, answer.entry_id, text[:80])


def test_praise_before_a_question_leaves_the_question(core):
    answer, text = ask(core, "대박 그럼 마감 언제야?")
    assert answer.entry_id == "faq:deadline" and "12월 26일" in text


@pytest.mark.parametrize(("question", "facts"), [
    ("정부 60 수요처 30 우리 10 이거 맞아요?", ["정부 지원 60%: 맞아요", "수요처 부담 30%: 맞아요", "중소기업 부담 10%: 맞아요"]),
    ("정부 70 수요처 20 중소기업 10 맞죠?", ["정부 지원 70%: 아니에요", "60% 이내", "수요처 부담 20%: 아니에요", "30% 이상"]),
    ("정부랑 수요처랑 우리가 6:3:1로 내는 거 맞지?", ["정부 지원 60%: 맞아요", "중소기업 부담 10%: 맞아요"]),
    ("기간 12개월이고 최대 3억 맞나요?", ["12개월: 아니에요", "최대 14개월", "3억 원: 아니에요", "3억 5천만 원"]),
    ("14개월, 3.5억, 26일 마감 다 맞아요?", ["14개월: 맞아요", "3억 5천만 원: 맞아요", "26일: 맞아요", "12월 26일(토)"]),
])
def test_figures_stated_to_confirm_are_each_checked(core, question, facts):
    answer, text = ask(core, question)
    assert answer.entry_id.startswith("calc:check") and all(f in text for f in facts), (question, text[:300])


def test_figures_checked_beside_a_question_of_its_own(core):
    answer, text = ask(core, "정부 60 수요처 30 중소기업 10 맞죠? 그리고 구매 의무는 없는 거죠?")
    assert "calc:check" in answer.entry_id and "faq:purchase_exemption" in answer.entry_id, answer.entry_id
    assert "면제" in text


def test_a_computation_to_check_is_computed_not_checked(core):
    answer, text = ask(core, "3.5억을 14개월로 나누면 월 2천만 원 맞죠?")
    assert answer.entry_id == "calc:per_month" and "2,500만 원" in text, (answer.entry_id, text[:200])


def test_mid_sized_companies_asked_about_as_demand_companies(core):
    answer, text = ask(core, "대기업 외에 중견기업도 수요처로 참여할 수 있나요?")
    assert answer.entry_id == "faq:what_is_demand" and answer.kind == "answer" and "중견기업" in text, answer.entry_id
    applicant, _ = ask(core, "중견기업인데 신청할 수 있어요?")
    assert applicant.entry_id == "faq:eligibility" and applicant.kind == "not_in_source", applicant.entry_id


@pytest.mark.parametrize("question", ["산업안전 위반하면 과태료 얼마예요?", "물류센터 임대료 평당 얼마 정도예요?"])
def test_an_errand_on_a_challenges_subject_is_off_topic(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "out_of_scope" and answer.abstained, (question, answer.entry_id, text[:100])


@pytest.mark.parametrize("question", ["저희는 식품 배합 레시피 최적화 AI 만들어요. 맞는 과제 있나요?",
                                      "we have an AI that predicts food recipe ratios, anything for us?"])
def test_a_company_describing_itself_with_such_a_word_still_gets_its_challenge(core, question):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and "ch:pulmuone" in answer.entry_id, (question, answer.entry_id)


def test_two_names_of_one_company_are_one_challenge(core):
    answer, text = ask(core, "현중이랑 HD현대중공업 과제가 따로 있어요?")
    assert answer.entry_id == "ch:hdhhi" and "과제는 하나예요" in text and "충돌방지" in text, (answer.entry_id, text[:150])


def test_how_many_challenges_one_company_posted(core):
    answer, text = ask(core, "DB손보 과제는 몇 개예요? 하나만 있어요?")
    assert answer.entry_id == "ch:dbins" and "DB손해보험이 낸 과제는 1개예요" in text, (answer.entry_id, text[:150])


@pytest.mark.parametrize(("question", "facts"), [
    ("참여 센터 중에 호남 지역은 어디예요?", ["전남", "8곳 중 1곳"]),
    ("수도권 센터는 몇 곳이에요?", ["서울, 경기, 인천", "8곳 중 3곳", "37.5%"]),
])
def test_the_participating_centres_in_a_group_of_regions(core, question, facts):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and all(f in text for f in facts), (question, answer.entry_id, text[:200])


@pytest.mark.parametrize(("question", "entry", "kind"), [
    ("수도권 기업도 신청 가능해요?", "faq:eligibility", "not_in_source"),     # a region word as the asker's place
    ("부산센터가 발굴한 과제는 어느 거예요?", "faq:challenge_origin", "not_in_source"),
    ("경남센터 혼자 다 발굴한 거예요?", "faq:centers", "answer"),             # the eight together found them
    ("KT 챌린지 내용이 뭐예요?", "ch:kt", "answer"),                          # '챌린지' is a challenge word
    ("LG 과제에 쓰는 센서 스펙 지정돼 있나요?", "faq:challenge_specs,ch:lg", "not_in_source"),
    ("안녕하세요. 컨설턴트입니다. 몇 가지 여쭙겠습니다.", None, "smalltalk"),  # announcing questions asks none yet
])
def test_round_15_entries_for_centres_challenges_and_greetings(core, question, entry, kind):
    answer, text = ask(core, question)
    assert answer.kind == kind and (entry is None or answer.entry_id == entry), (question, answer.entry_id, text[:120])


@pytest.mark.parametrize(("question", "facts"), [
    ("그 두 보험 과제 정부 지원 최대 합계는 얼마예요?", ["2개 과제", "4억 2천만 원"]),
    ("교보+DB 두 과제, 우리 자부담 최소 합계 계산해 줘", ["2개 과제", "7천만 원"]),
    ("두 로봇 과제 정부 지원 합계를 14개월로 나누면 월 평균 얼마?", ["4억 2천만 원", "3천만 원"]),
    ("수요처는 예산 꽉 채우면 최소 얼마 내요?", ["수요처 부담", "1억 500만 원"]),
])
def test_sums_over_named_or_counted_challenges_and_a_share_at_the_maximum(core, question, facts):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and all(f in text for f in facts), (question, answer.entry_id, text[:250])


def test_a_minimum_purchase_is_no_share_at_the_maximum(core):
    answer, text = ask(core, "나중에 수요처가 구매하면 최소 구매금액 같은 거 정해져 있어요?")
    assert answer.kind == "not_in_source" and "calc" not in (answer.entry_id or ""), (answer.entry_id, text[:120])


@pytest.mark.parametrize(("question", "facts"), [
    ("과제명 가운데 '구축'으로 끝나는 과제는 몇 개예요?", ["'구축'으로 끝나는 과제는", "2개", "풀무원", "KT"]),
    ("과제 제목에 AR이라는 단어 들어간 게 있나요?", ["'AR'이 들어간 과제는", "1개", "DB손해보험"]),
])
def test_the_titles_that_contain_or_end_with_a_word(core, question, facts):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and all(f in text for f in facts), (question, answer.entry_id, text[:250])


@pytest.mark.parametrize("question", ["과제 낸 기업들 이름 쭉 나열해 주십시오", "10개 업체 전부 알려줘요"])
def test_a_list_asked_in_other_words_gets_the_ten_challenges(core, question):
    answer, text = ask(core, question)
    assert answer.entry_id in ("faq:challenge_list", "faq:participating_companies") and "HD현대중공업" in text \
        and "교보생명" in text, (question, answer.entry_id)


@pytest.mark.parametrize(("question", "intent"), [
    ("이 챗봇 누가 만든 거예요?", "smalltalk_identity"),
    ("이 서비스로 어떤 사항을 문의할 수 있나요?", "smalltalk_capability"),
    ("야근 중인데 너도 수고 많다", "smalltalk_thanks"),
])
def test_questions_about_the_bot_and_kind_words_get_small_talk(core, question, intent):
    answer, text = ask(core, question)
    assert (answer.kind, answer.entry_id) == ("smalltalk", intent), (question, answer.entry_id, text[:100])


def test_one_challenge_compared_with_the_others_gets_the_shared_figures(core):
    answer, text = ask(core, "KT 과제도 다른 과제랑 똑같이 14개월에 3.5억이에요?")
    assert "faq:max_period" in answer.entry_id and "faq:max_amount" in answer.entry_id, answer.entry_id
    assert "14개월" in text and "3억 5천만 원" in text
