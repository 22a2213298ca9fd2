"""Labelled pairs for tuning the look-back matcher (``zhenggai.review.lookback``).

Each pair is (earlier round's problem, later round's problem, same problem?, why). The titles
are in the style of the seed (/work/shared/seed/longting-kexie-2024.txt) and the fixtures'
notices; many are taken from them and reworded the way a later round rewords a finding. The
negatives are chosen to be hard: different problems that share the generic words of findings
(党建, 学习, 制度, 管理不规范, 压力传导, 现象依然存在 …). ``docs/lookback.md`` reports precision
and recall at the chosen thresholds; ``test_lookback.py`` holds the matcher to them.
"""

from __future__ import annotations

from typing import NamedTuple


class Pair(NamedTuple):
    earlier: str
    later: str
    same: bool
    reason: str


PAIRS: tuple[Pair, ...] = (
    # --- the same problem, reworded in a later round ------------------------------------------
    Pair("理论学习在学用结合上有差距", "理论学习与业务工作结合不紧密，学用脱节", True,
         "seed 一（一）: theory study not tied to the work, both say 理论学习 and 学用"),
    Pair("意识形态工作不扎实", "落实意识形态工作责任制不到位", True,
         "seed 一（二）: the same ideology work, now named by its responsibility system"),
    Pair("民主决策流于形式", "执行民主集中制不严格，“三重一大”事项民主决策流于形式", True,
         "seed 二（二): decisions taken without real discussion"),
    Pair("民主生活会不重视", "民主生活会质量不高，批评与自我批评开展不够", True,
         "seed 三（三）: the leadership's 民主生活会 again"),
    Pair("党组作用不强", "党组把方向、管大局、保落实作用发挥不充分", True,
         "seed 三（一）: the party group's leading role, spelt out"),
    Pair("管党治党压力传导不够", "全面从严治党主体责任压力传导层层递减", True,
         "seed 二（一）: pressure of 管党治党 / 从严治党 not passed down"),
    Pair("形式主义、官僚主义现象依然存在", "形式主义官僚主义问题仍然突出，文山会海现象未根治", True,
         "seed 二（三）: formalism and bureaucratism recur"),
    Pair("会议记录不规范", "党组会议记录不完整、不规范", True,
         "seed 四: meeting minutes, named in the look-back finding"),
    Pair("文档管理混乱，整改材料未及时归档", "档案管理不规范，上轮整改材料没有及时归档", True,
         "seed 四: the last round's material not archived"),
    Pair("财务管理不规范，存在白条入账现象", "财务制度执行不严，报销凭证不规范、白条入账", True,
         "seed 四: finance, the same 白条入账"),
    Pair("结余药品管理、使用不规范", "结余药品使用不规范", True,
         "fixture 37: surplus drugs, one title shortened"),
    Pair("政治理论学习跟进不够及时", "政治理论学习跟进不及时，学习流于形式", True,
         "fixture 18: theory study that lags behind"),
    Pair("落实“第一议题”制度不到位", "“第一议题”学习制度执行不严格", True,
         "seed 一（一）: the 第一议题 system"),
    Pair("公务用车管理不规范", "公务用车使用管理不严格，存在公车私用现象", True,
         "the same official cars"),
    Pair("没有党务政务信息公示栏", "党务政务信息公开栏未设置", True,
         "seed 二（四）: the notice board, 公示栏 reworded as 公开栏"),
    Pair("谈心谈话制度落实不到位", "谈心谈话开展不经常，流于形式", True,
         "seed 二（一）: heart-to-heart talks"),
    Pair("干部队伍建设薄弱，年轻干部培养不够", "年轻干部培养选拔力度不够，干部队伍结构老化", True,
         "young cadres' training, both halves reworded"),
    Pair("基层党组织“三会一课”制度落实不到位", "“三会一课”开展不规范，组织生活流于形式", True,
         "the 三会一课 of the branches"),
    Pair("落实中央八项规定精神不严格", "执行中央八项规定精神有松懈", True,
         "the eight-point rules"),
    Pair("防范化解重大风险意识不够", "重大风险防范化解能力不足", True,
         "fixture 40: major risks, words reordered"),
    Pair("公文管理不规范，错字漏字较多", "公文写作质量不高，存在错字、漏字", True,
         "seed 二（四）: documents with typos"),
    Pair("请销假制度执行不严", "干部请销假管理不规范，手续不全", True,
         "seed 二（四）: leave requests"),
    Pair("妨碍公平竞争问题仍然存在", "妨碍统一市场和公平竞争的问题依然存在", True,
         "fixture 18: fair competition"),
    # --- different problems that share generic words --------------------------------------------
    Pair("理论学习在学用结合上有差距", "民主生活会不重视", False,
         "nothing in common: study vs. the 民主生活会"),
    Pair("党建工作制度不健全", "党风廉政建设工作实施方案未制定", False,
         "党建 vs. 党风廉政建设: share only 工作 and 建设"),
    Pair("意识形态工作不扎实", "党建工作不扎实", False,
         "ideology vs. party building: share only 工作不扎实"),
    Pair("理论学习在学用结合上有差距", "业务学习流于形式，干部专业能力不足", False,
         "theory study vs. professional training: share 学习"),
    Pair("“三重一大”事项决策程序不规范", "财务报销程序不规范", False,
         "collective decisions vs. expense claims: share 程序不规范"),
    Pair("会议记录不规范", "公文管理不规范", False,
         "minutes vs. official documents: share 不规范"),
    Pair("请销假制度执行不严", "财务制度执行不严", False,
         "leave vs. finance: share 制度执行不严"),
    Pair("党组作用不强", "党组意识形态工作责任制落实不到位", False,
         "the group's role vs. ideology: share 党组"),
    Pair("管党治党压力传导不够", "招商引资工作压力传导不够", False,
         "discipline vs. investment promotion: share 压力传导不够"),
    Pair("民主生活会不重视", "党支部组织生活会召开不规范", False,
         "the leadership's 民主生活会 vs. a branch's 组织生活会: share 生活会"),
    Pair("干部队伍建设薄弱，年轻干部培养不够", "党支部标准化建设薄弱", False,
         "cadres vs. branch standardisation: share 建设薄弱"),
    Pair("落实中央八项规定精神不严格", "学习贯彻党的二十大精神不深入", False,
         "eight-point rules vs. studying the 20th congress: share 精神"),
    Pair("公务用车管理不规范", "固定资产管理不规范，账实不符", False,
         "cars vs. fixed assets: share 管理不规范"),
    Pair("防范化解重大风险意识不够", "安全生产风险排查不到位", False,
         "political risk vs. work safety: share 风险"),
    Pair("形式主义、官僚主义现象依然存在", "违规发放津贴补贴现象依然存在", False,
         "formalism vs. allowances: share 现象依然存在"),
    Pair("“三会一课”制度落实不到位", "“第一议题”制度落实不到位", False,
         "branch meetings vs. 第一议题: share 制度落实不到位"),
    Pair("在科技发展服务大局的能力上有差距", "抓班子带队伍的能力有待提升", False,
         "seed 一（三） vs. 三（二）: share 能力"),
    Pair("结余药品管理、使用不规范", "医用耗材采购管理不规范", False,
         "fixture 37: drugs vs. consumables: share 管理不规范"),
    Pair("政治理论学习跟进不够及时", "上级决策部署贯彻落实不够及时", False,
         "study vs. carrying out decisions: share 不够及时"),
    Pair("谈心谈话制度落实不到位", "党组会议记录不完整", False,
         "talks vs. minutes: nothing but boilerplate"),
    Pair("财务管理不规范，存在白条入账现象", "档案管理不规范，存在材料缺失现象", False,
         "finance vs. archives: share 管理不规范 … 存在 … 现象"),
    Pair("意识形态工作不扎实", "民主决策流于形式", False,
         "seed 一（二） vs. 二（二）: different aspects of one notice"),
    Pair("培育市场主体力度不够", "侵害消费者权益问题逐年增多", False,
         "fixture 18: two problems of one notice, both about the market"),
)  # fmt: skip
