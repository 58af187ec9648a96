"""What the text and HTML renderings share: number styles, the three tables' layouts, the narrative parts."""
from __future__ import annotations

import random
from decimal import Decimal

from ... import spec

# ================================================================================== cells

_BLANK_MARKS = ("/", "—", "无", "-", "／")
_FULLWIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


def _wan(yuan) -> Decimal:
    return (Decimal(str(yuan)) / 10000).normalize()


def _fmt_decimal(d: Decimal, lo: int, hi: int, rng: random.Random) -> str:
    """``d`` with between ``lo`` and ``hi`` decimals (at least as many as it needs)."""
    need = max(0, -d.as_tuple().exponent)
    places = max(need, rng.randint(lo, max(lo, min(hi, need + 1))))
    return f"{d:.{places}f}"


class _Style:
    """Per-document rendering choices that affect cell text."""

    def __init__(self, rng: random.Random, *, blank_mark: bool):
        self.rng = rng
        self.blank = rng.choice(_BLANK_MARKS) if blank_mark or rng.random() < 0.3 else ""
        self.thousands = rng.random() < 0.1
        self.zero_money_unit = rng.random() < 0.3
        self.money_wan = rng.random()  # share of 2019 procurement amounts written in 万元
        self.fullwidth = rng.random() < 0.05  # digits typed full-width (０１２)

    def cell(self, key: str, value, template: str) -> str:
        text = self._cell(key, value, template)
        return text.translate(_FULLWIDTH) if self.fullwidth else text

    def _cell(self, key: str, value, template: str) -> str:
        if value is None:
            return self.blank
        col = spec.column_of(key, template)
        if not col.money:
            return f"{value:,}" if self.thousands and value >= 1000 else str(value)
        rng = self.rng
        if col.unit == 10000:  # 2021 fee column: 万元 from the header
            if value == 0:
                return rng.choice(("0", "0", "0.00"))
            return _fmt_decimal(_wan(value), 2, 6, rng)
        if value == 0:  # 2019 procurement amount: unit in the cell
            return "0元" if self.zero_money_unit else "0"
        if value % 100 == 0 and rng.random() < self.money_wan:
            return _fmt_decimal(_wan(value), 0, 2, rng) + "万元"
        if self.thousands and value >= 10000:
            return f"{value:,}元"
        return f"{value}元"


# ================================================================================== table layouts
# A table is a list of rows; a row a list of cells (kind, text or key, colspan, rowspan).
# kind: "h" header label, "l" row label, "v" value (text is the cell key).

def _c(kind, text, cs=1, rs=1):
    return (kind, text, cs, rs)


_ART = ("第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项", "第二十条第（九）项")


def _active_layout(template: str) -> list:
    t = "active"
    if template == "2019":
        def row3(r, label):
            cols = [c.key for c in spec.ACTIVE_2019.row(r).columns]
            return [_c("l", label)] + [_c("v", f"{t}.{r}.{k}") for k in cols]
        items = [_c("h", "信息内容"), _c("h", "上一年项目数量"), _c("h", "本年增/减"), _c("h", "处理决定数量")]
        return [
            [_c("h", _ART[0], 4)],
            [_c("h", "信息内容"), _c("h", "本年新制作数量"), _c("h", "本年新公开数量"), _c("h", "对外公开总数量")],
            row3("regulations", "规章"), row3("normative_documents", "规范性文件"),
            [_c("h", _ART[1], 4)], list(items),
            row3("licensing", "行政许可"), row3("other_services", "其他对外管理服务事项"),
            [_c("h", _ART[2], 4)], list(items),
            row3("penalty", "行政处罚"), row3("coercion", "行政强制"),
            [_c("h", _ART[3], 4)],
            [_c("h", "信息内容"), _c("h", "上一年项目数量"), _c("h", "本年增/减", 2)],
            [_c("l", "行政事业性收费"), _c("v", f"{t}.fees.previous"), _c("v", f"{t}.fees.change", 2)],
            [_c("h", _ART[4], 4)],
            [_c("h", "信息内容"), _c("h", "采购项目数量"), _c("h", "采购总金额", 2)],
            [_c("l", "政府集中采购"), _c("v", f"{t}.procurement.projects"),
             _c("v", f"{t}.procurement.amount_yuan", 2)],
        ]
    dec = [_c("h", "信息内容"), _c("h", "本年处理决定数量", 3)]
    return [
        [_c("h", _ART[0], 4)],
        [_c("h", "信息内容"), _c("h", "本年制发件数"), _c("h", "本年废止件数"), _c("h", "现行有效件数")],
        [_c("l", "规章")] + [_c("v", f"{t}.regulations.{k}") for k in ("issued", "repealed", "in_force")],
        [_c("l", "行政规范性文件")] + [_c("v", f"{t}.normative_documents.{k}")
                                   for k in ("issued", "repealed", "in_force")],
        [_c("h", _ART[1], 4)], list(dec),
        [_c("l", "行政许可"), _c("v", f"{t}.licensing.decisions", 3)],
        [_c("h", _ART[2], 4)], list(dec),
        [_c("l", "行政处罚"), _c("v", f"{t}.penalty.decisions", 3)],
        [_c("l", "行政强制"), _c("v", f"{t}.coercion.decisions", 3)],
        [_c("h", _ART[3], 4)],
        [_c("h", "信息内容"), _c("h", "本年收费金额（单位：万元）", 3)],
        [_c("l", "行政事业性收费"), _c("v", f"{t}.fees.amount_yuan", 3)],
    ]


_WITHHELD = (("withheld_state_secret", "1.属于国家秘密"), ("withheld_law_prohibited", "2.其他法律行政法规禁止公开"),
             ("withheld_security_stability", "3.危及“三安全一稳定”"), ("withheld_third_party", "4.保护第三方合法权益"),
             ("withheld_internal_affairs", "5.属于三类内部事务信息"), ("withheld_process_info", "6.属于四类过程性信息"),
             ("withheld_enforcement_file", "7.属于行政执法案卷"), ("withheld_admin_query", "8.属于行政查询事项"))
_UNAVAILABLE = (("unavailable_not_held", "1.本机关不掌握相关政府信息"),
                ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
                ("unavailable_unclear", "3.补正后申请内容仍不明确"))
_NOT_PROCESSED = (("not_processed_complaint", "1.信访举报投诉类申请"), ("not_processed_duplicate", "2.重复申请"),
                  ("not_processed_publication", "3.要求提供公开出版物"),
                  ("not_processed_excessive", "4.无正当理由大量反复申请"),
                  ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息"))
_OTHER_2021 = (("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
               ("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
               ("other_other", "3.其他"))
_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _applications_layout(template: str) -> list:
    def vals(r):
        return [_c("v", f"applications.{r}.{c}") for c in spec.APPLICANT_COLUMNS]

    def group(title, items):
        out = []
        for i, (r, label) in enumerate(items):
            out.append(([_c("l", title, 1, len(items))] if i == 0 else []) + [_c("l", label)] + vals(r))
        return out

    body = [
        [_c("l", "（一）予以公开", 2)] + vals("granted"),
        [_c("l", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2)] + vals("partially_granted"),
        *group("（三）不予公开", _WITHHELD),
        *group("（四）无法提供", _UNAVAILABLE),
        *group("（五）不予处理", _NOT_PROCESSED),
        *([[_c("l", "（六）其他处理", 2)] + vals("other")] if template == "2019" else group("（六）其他处理", _OTHER_2021)),
        [_c("l", "（七）总计", 2)] + vals("total"),
    ]
    body[0] = [_c("l", "三、本年度办理结果", 1, len(body))] + body[0]
    return [
        [_c("h", _NOTE, 3, 3), _c("h", "申请人情况", 7)],
        [_c("h", "自然人", 1, 2), _c("h", "法人或其他组织", 5), _c("h", "总计", 1, 2)],
        [_c("h", "商业企业"), _c("h", "科研机构"), _c("h", "社会公益组织"), _c("h", "法律服务机构"), _c("h", "其他")],
        [_c("l", "一、本年新收政府信息公开申请数量", 3)] + vals("new_requests"),
        [_c("l", "二、上年结转政府信息公开申请数量", 3)] + vals("carried_over"),
        *body,
        [_c("l", "四、结转下年度继续办理", 3)] + vals("carried_forward"),
    ]


def _review_layout() -> list:
    sub = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [_c("h", "行政复议", 5), _c("h", "行政诉讼", 10)],
        [_c("h", s, 1, 2) for s in sub] + [_c("h", "未经复议直接起诉", 5), _c("h", "复议后起诉", 5)],
        [_c("h", s) for s in sub * 2],
        [_c("v", f"review_litigation.{g}.{c}") for g in spec.REVIEW_GROUPS for c in spec.REVIEW_COLUMNS],
    ]


def _layouts(template: str) -> dict:
    return {2: _active_layout(template), 3: _applications_layout(template), 4: _review_layout()}


def _slots(layout: list) -> list:
    """Each row as grid slots: real cells, and ``None`` where a rowspan from above covers it."""
    covered: dict = {}
    out = []
    for r, row in enumerate(layout):
        taken = covered.pop(r, set())
        slots = []
        col = 0
        for cell in row:
            while col in taken:
                slots.append(None)
                col += 1
            slots.append(cell)
            _, _, cs, rs = cell
            for rr in range(r + 1, r + rs):
                covered.setdefault(rr, set()).update(range(col, col + cs))
            col += cs
        while col in taken:
            slots.append(None)
            col += 1
        out.append(slots)
    return out


# ================================================================================== narrative

_SELF = (("街道办事处", "我街道"), ("镇人民政府", "我镇"), ("乡人民政府", "我乡"), ("区人民政府", "我区"),
         ("市人民政府", "我市"), ("县人民政府", "我县"), ("人民政府办公室", "我办"), ("委员会", "我委"),
         ("局", "我局"), ("办公室", "我办"))


def _self_name(agency: str) -> str:
    for suffix, name in _SELF:
        if agency.endswith(suffix):
            return name
    return "本机关"


_ACTIVE_SENTENCES = (
    "{y}年，{s}坚持以公开为常态、不公开为例外，通过政府门户网站主动公开各类政府信息{k}条。",
    "全年在政府信息公开专栏发布政策文件、工作动态、通知公告等信息{k}条，其中政策解读{j}条。",
    "{s}严格落实政府信息公开审查制度，全年主动公开政府信息{k}条，做到应公开尽公开。",
    "围绕群众关注的重点领域，及时公开财政预决算、重大建设项目、民生实事等信息{k}条。",
    "通过政务新媒体同步发布各类信息{j}条，进一步扩大了政府信息的覆盖面和影响力。",
    "持续做好政策解读工作，采用图文、问答等形式解读政策文件{j}篇，提升政策知晓度。",
)
_MANAGEMENT = (
    "严格执行“先审查、后公开”和“一事一审”制度，明确信息发布的审核程序，确保公开信息准确规范。",
    "定期对已公开的政府信息进行清理，及时更新过期信息，保证公开内容的时效性。",
    "建立健全政府信息公开属性源头认定机制，在公文办理环节同步明确公开属性。",
    "组织开展保密审查培训，进一步提高工作人员的保密意识和业务水平。",
    "规范政府信息公开指南和目录，动态调整主动公开基本目录。",
)
_PLATFORM = (
    "持续加强政府网站信息公开专栏建设，优化栏目设置，方便公众查阅。",
    "依托政务服务大厅设置政府信息查阅点，为群众提供便捷的查询服务。",
    "加强政务新媒体规范管理，做到信息发布及时准确、互动回应规范有效。",
    "完善政务公开栏，在村（社区）醒目位置及时张贴公开事项。",
)
_OVERSIGHT = (
    "将政务公开工作纳入年度目标考核，定期开展自查，发现问题及时整改。",
    "主动接受社会公众、新闻媒体的监督，畅通意见反馈渠道。",
    "{y}年度未发生因政府信息公开工作不到位而被责任追究的情况。",
    "组织工作人员参加政务公开业务培训，提升依法公开的能力。",
)
_PROBLEMS = (
    "政策解读的形式还比较单一，图解、视频等多元化解读偏少，解读的针对性和可读性有待增强。",
    "部分栏目信息更新不够及时，个别栏目存在内容空白或长期未更新的情况。",
    "工作人员业务能力有待提高，对《条例》的理解还不够深入，公开意识需要进一步增强。",
    "公开内容与群众需求的契合度不高，重点领域信息公开的深度和广度仍有不足。",
    "信息公开的主动性还需增强，部分业务科室存在重办理、轻公开的现象。",
    "政务新媒体互动功能发挥不够充分，对公众关切的回应还不够及时。",
    "依申请公开答复文书的规范性有待加强，办理流程还需进一步细化。",
    "基层政务公开标准化规范化建设推进不够平衡，公开平台的集约化水平有待提升。",
    "政务公开工作人员调整较为频繁，业务衔接不够顺畅，影响了工作的连续性。",
    "信息发布审核把关还不够严格，个别信息存在格式不规范、要素不齐全的问题。",
)
_IMPROVEMENTS = (
    "加强业务培训，组织工作人员系统学习《条例》及相关规定，提高依法公开的能力和水平。",
    "丰富政策解读形式，综合运用图解、音视频、在线访谈等方式，增强解读效果。",
    "进一步完善工作机制，明确栏目责任人，强化栏目日常维护，确保信息更新及时准确。",
    "健全依申请公开办理流程，规范答复文书格式，严格落实法定时限，提升依法答复水平。",
    "加强对基层政务公开工作的指导，推动公开向基层延伸，更好满足群众需求。",
    "围绕群众关注的热点问题，及时发布权威信息，积极回应社会关切。",
    "严格落实信息发布审核制度，加强保密审查，确保公开信息准确规范。",
    "加大政务新媒体建设力度，完善互动交流功能，提升政务服务的便捷性。",
    "将政务公开工作纳入年度考核，定期通报工作情况，推动各项任务落到实处。",
    "加强与上级部门的沟通联系，学习借鉴先进经验，不断提升政务公开工作质量。",
)
_SIXTH_2019 = (
    "本年度无其他需要报告的事项。",
    "{s}本年度没有其他需要报告的事项。",
    "无。",
    "{y}年度，{s}未收取政府信息公开相关费用，无其他需要报告的事项。",
)
_FEE_SENTENCES = (
    "{y}年度，{s}未收取信息处理费。",
    "本年度{s}未发生收取信息处理费的情况，也未发出收费通知。",
    "根据《政府信息公开信息处理费管理办法》，{s}本年度未向申请人收取信息处理费。",
    "{y}年{s}发出收费通知的件数和总金额以及实际收取的总金额均为0。",
)
_SIXTH_MORE = (
    "{s}进一步规范政府信息公开申请的受理、登记、办理和答复流程，各环节均有记录可查。",
    "本年度{s}未发生因政府信息公开引发的重大舆情。",
    "{s}按要求完成了政府信息公开指南和主动公开目录的更新工作。",
    "全年组织政务公开专题培训{j}次，参训人员{k}人次。",
    "{s}对照政务公开标准目录，对已公开信息进行了全面梳理和动态更新。",
)
_KEYPOINTS = (
    "认真落实上年度政务公开工作要点，各项任务均已按时完成。",
    "{s}将上年度政务公开工作要点分解为具体任务，明确责任科室和完成时限，逐项推进落实。",
    "上年度政务公开工作要点确定的重点任务已全部完成，重点领域信息公开质量稳步提升。",
    "对照上年度政务公开工作要点逐项抓好落实，重点领域信息公开进一步深化。",
    "按照上级政务公开工作要点部署，细化任务分工，确保各项工作落到实处。",
)
_PROPOSALS = (
    "本年度承办人大代表建议{a}件、政协提案{b}件，办理结果均已按规定公开。",
    "{s}本年度承办的人大代表建议和政协提案办理结果已在政府网站公开。",
    "本年度{s}未承办人大代表建议和政协提案。",
)


def _num(values, key) -> int:
    v = values.get(key)
    return 0 if v is None else int(v)


def _narrative(values: dict, agency: str, year: int, template: str, rng: random.Random) -> dict:
    """Paragraphs of parts 1, 5 and 6 (part 1 with its five subsections)."""
    s = _self_name(agency)
    fmt = {"y": year, "s": s, "a": rng.randint(1, 12), "b": rng.randint(1, 9)}

    def pick(pool, k):
        return [p.format(k=rng.randint(20, 900), j=rng.randint(2, 40), **fmt) for p in rng.sample(pool, k)]

    new = _num(values, "applications.new_requests.total")
    carried = _num(values, "applications.carried_over.total")
    handled = _num(values, "applications.total.total")
    fwd = _num(values, "applications.carried_forward.total")
    review = _num(values, "review_litigation.review.total")
    suits = _num(values, "review_litigation.suit_direct.total") + _num(values, "review_litigation.suit_after_review.total")
    if new == 0 and carried == 0:
        apply = [rng.choice((f"{year}年，{s}未收到政府信息公开申请。",
                             f"{year}年度，{s}共收到政府信息公开申请0件。"))]
    else:
        first = rng.choice((f"{year}年，{s}共收到政府信息公开申请{new}件",
                            f"全年共受理政府信息公开申请{new}件",
                            f"本年度{s}新收政府信息公开申请{new}件"))
        parts = [first]
        if carried:
            parts.append(f"上年结转{carried}件")
        parts.append(f"已全部按照法定时限办结{handled}件" if not fwd else f"办结{handled}件")
        if fwd:
            parts.append(f"另有{fwd}件结转下年度继续办理")
        apply = ["，".join(parts) + "。"]
    if review == 0 and suits == 0:
        apply.append(rng.choice(("全年未发生因政府信息公开引起的行政复议、行政诉讼案件。",
                                 f"{s}本年度未发生政府信息公开行政复议和行政诉讼。")))
    else:
        apply.append(f"全年发生政府信息公开行政复议{review}件，行政诉讼{suits}件。")
    part1 = [
        rng.choice((f"{year}年，{s}深入贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作，现将有关情况报告如下。",
                    f"{year}年，在上级政务公开部门的指导下，{s}认真落实政务公开各项工作要求，政府信息公开工作取得新进展。",
                    f"{year}年度，{s}坚持以人民为中心的发展思想，持续深化政务公开，不断提升政府工作透明度。")),
        rng.choice(("（一）主动公开", "（一）主动公开政府信息情况")), *pick(_ACTIVE_SENTENCES, 2),
        rng.choice(("（二）依申请公开", "（二）依申请公开政府信息情况")), *apply,
        rng.choice(("（三）政府信息管理", "（三）加强政府信息管理")), *pick(_MANAGEMENT, 2),
        rng.choice(("（四）平台建设", "（四）政府信息公开平台建设")), *pick(_PLATFORM, 2),
        rng.choice(("（五）监督保障", "（五）强化监督保障")), *pick(_OVERSIGHT, 2),
    ]
    numbered = rng.random() < 0.5

    def listing(pool, k):
        items = pick(pool, k)
        if numbered:
            return ["；".join(f"{'一二三四'[i]}是{t.rstrip('。')}" for i, t in enumerate(items)) + "。"]
        return items

    part5 = [rng.choice(("（一）存在的主要问题", "（一）存在问题")), *listing(_PROBLEMS, rng.randint(2, 3)),
             rng.choice(("（二）改进情况", "（二）改进措施")), *listing(_IMPROVEMENTS, rng.randint(2, 3))]
    if template == "2019":
        part6 = pick(_SIXTH_2019, 1) if rng.random() < 0.6 else pick(_SIXTH_MORE, 2)
    else:
        part6 = pick(_FEE_SENTENCES, 1) + pick(_KEYPOINTS, 1) + pick(_PROPOSALS, 1)
        if rng.random() < 0.5:
            part6 += pick(_SIXTH_MORE, 1)
    return {1: part1, 5: part5, 6: part6}


def _title(agency: str, year: int, rng: random.Random) -> str:
    return rng.choice((f"{agency}{year}年政府信息公开工作年度报告", f"{agency}{year}年度政府信息公开工作年度报告",
                       f"{agency}{year}年政府信息公开年度报告", f"{agency}关于{year}年政府信息公开工作年度报告"))


_INTRO = ("本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和有关规定编制。"
          "报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
          "如对本报告有疑问，请与{a}联系。")
