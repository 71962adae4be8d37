// Evaluation names by origin: written for the corpus separately from the curated lists the
// package ships (test/tools/sources), as a patient register of each community would show them
// (ASCII romanisation, no diacritics). The Anglo origin is sampled by frequency from the 1990
// census files instead (see generate-corpus.ts). Never tune the detector on single names here:
// tune on the corpus's tuning split, judge on the held-out split.

export type Origin = { first: string[]; last: string[] };

export const ORIGINS: Record<string, Origin> = {
  'african-american': {
    first: 'deshawn latoya tyrone keisha jamal shaniqua darnell lakisha marquis tanisha terrell ebony demetrius aaliyah jermaine imani tremaine latasha dwayne shanice kareem monique desmond tamika rashad jazmine lamar kiara cedric precious antwan niesha'.split(' '),
    last: 'washington jefferson jackson banks booker mosley gaines dorsey pettaway rountree toussaint batiste jenkins freeman dukes wilkerson coleman whitfield mcclendon haywood blackwell ware hairston gadsden moultrie'.split(' '),
  },
  hispanic: {
    first: 'jose maria guadalupe juan luis carmen rosa alejandro yesenia marisol jorge francisco araceli gerardo veronica rigoberto lizbeth edgar maricela efrain griselda humberto nohemi ulises brenda osvaldo yadira cesar dulce arnulfo'.split(' '),
    last: 'hernandez gonzalez rodriguez martinez lopez ramirez sanchez flores villalobos quintanilla arreola zaragoza ocampo bustamante alcantar maldonado cardenas espinosa galindo jaramillo ledesma montes olvera saucedo tapia urbina velazquez yanez zepeda carrasco'.split(' '),
  },
  'west-african': {
    first: 'oluwaseun chinedu ngozi adaeze emeka folasade kwame abena yaw kofi akua chukwuemeka nkechi oluwadamilola temitope olamide ifeanyi chiamaka obiageli babatunde funmilayo kehinde adwoa efua mamadou fatoumata ousmane aminata ikechukwu uchenna'.split(' '),
    last: 'adeyemi okafor okonkwo nwosu eze obi adebayo oyelaran mensah asante boateng owusu osei agyemang nwachukwu ogunleye afolabi balogun onyekwere chukwu diallo traore toure keita nnamdi ezeani okoli adewumi olatunji akinwande'.split(' '),
  },
  'east-african': {
    first: 'abdirahman hodan faduma mohamed hawa abdullahi ifrah liban ayaan warsame tesfaye alemayehu tigist meseret yohannes selam dawit hirut bereket senait mekdes kidane wanjiru kamau njeri otieno achieng odhiambo muthoni kipchoge'.split(' '),
    last: 'abdi hassan farah warsame mohamud jama aden ahmed yusuf hirsi tadesse bekele gebremariam haile mengistu woldemariam kebede tesfamariam ghebreyesus kahsay mwangi kamau otieno ochieng njoroge kariuki wambugu odhiambo kiprotich chebet'.split(' '),
  },
  'south-asian': {
    first: 'priyanka rajesh anjali sanjay deepika venkatesh lakshmi arjun kavya harpreet gurpreet rohan aishwarya srinivas meenakshi nirmala pradeep sunita vikram ananya rahul shreya karthik divya mohammed farhana tanvir nusrat anil preeti'.split(' '),
    last: 'patel shah sharma gupta reddy iyer krishnamurthy venkataraman chatterjee banerjee mukherjee sandhu dhillon grewal desai mehta rao nair pillai subramaniam kulkarni joshi agarwal chowdhury rahman hossain siddiqui qureshi bhattacharya raghunathan'.split(' '),
  },
  chinese: {
    first: 'wei xiaoming jing hui lei yan fang jun ling xin yu hong ming tao qing zhiwei xiulan yiming jiahao yuxuan zihan haoran siyu jiayi kaiwen shuang wenjie xiaoyan lihua guoqiang'.split(' '),
    last: 'wang li zhang liu chen yang huang zhao wu zhou xu sun zhu hu guo lin he gao luo zheng liang xie song tang deng feng cao peng zeng xiao'.split(' '),
  },
  korean: {
    first: 'minjun seoyeon jihoon jiwoo hyunwoo soojin eunji sungmin younghee jaehyun dongwon minseo haeun jisung taehyun yoonah kyungsoo sunhee jinhee sangmin hyejin byungho chanwoo yejin seungwoo donghyun miyoung junseo jiyoung hanbyul'.split(' '),
    last: 'kim lee park choi jung kang cho yoon jang lim han oh seo shin kwon hwang ahn song jeon hong yoo ko moon bae baek nam ryu'.split(' '),
  },
  vietnamese: {
    first: 'nguyet thanh huong minh tuan phuong linh duc hoang quynh trang hai khoa thuy hieu ngoc vinh loan thao dung anh trinh bich hung cuong diep phuc tam xuan yen'.split(' '),
    last: 'nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly truong dinh lam luong trinh quach doan mai ha kieu ta tieu vuong'.split(' '),
  },
  japanese: {
    first: 'haruto yuki hiroshi sakura kenji yumiko takeshi aiko daisuke emiko hiroko kazuo masako noboru reiko satoshi shinji takashi tomoko yoshiko akira chieko fumio haruka isamu junko katsumi mariko naoki osamu'.split(' '),
    last: 'tanaka suzuki takahashi watanabe yamamoto nakamura kobayashi yoshida yamada sasaki yamaguchi matsumoto inoue kimura hayashi shimizu yamazaki mori ikeda hashimoto ishikawa ogawa okada hasegawa murakami kondo fujimoto nishimura okamoto sakamoto'.split(' '),
  },
  filipino: {
    first: 'maricel jocelyn rodrigo lourdes ronaldo marites jerome rowena arnel liezl ferdinand gemma jomar mylene reynaldo cristina edwin rosalinda jun analiza bong marivic efren teresita danilo charmaine rommel gloria nestor leonora'.split(' '),
    last: 'santos reyes cruz bautista ocampo garcia mendoza torres tolentino villanueva aquino manalo dizon castillo delacruz pascual soriano domingo mercado salvador ramos navarro gonzales lacson panganiban magbanua dimaculangan macaraeg sison quiambao'.split(' '),
  },
  'pacific-islander': {
    first: 'sione tevita mele losana viliami seini malakai ana lusia siosaia iosefa faamoana leilani kawika keoni malia noelani makoa kalani pualani lokelani tavita fetu sefo manaia talia kaimana ikaika mahina kealoha'.split(' '),
    last: 'fifita tupou taufa latu vea mahe moala havili kaufusi fonua tuilagi sapolu leota fuimaono tuiasosopo faleolo mulitalo aumua sopoaga kealoha kahananui kamakana keawe akana nakoa palakiko kanahele makaiwi kahale kalama'.split(' '),
  },
  slavic: {
    first: 'dmitri svetlana oksana volodymyr katarzyna wojciech agnieszka grzegorz malgorzata tomasz yevgeniy natalya anastasia mykola halyna jelena dragan milica zoran vesna jaroslav bozena lyudmila vladislav kseniya bogdan radoslaw zbigniew ewa miroslav'.split(' '),
    last: 'ivanov petrov sokolov kuznetsov popov volkov morozov novikov kozlov lebedev shevchenko kovalenko bondarenko tkachenko kowalski wisniewski wojcik kowalczyk kaminski lewandowski zielinski szymanski nowak jovanovic petrovic nikolic horvat novotny dvorak kravchuk'.split(' '),
  },
  arabic: {
    first: 'mohammed ahmad fatima aisha omar khalid youssef mariam layla hassan hussein ibrahim nour rania tariq samir yasmin zainab hamza bilal walid rasha amal karim nadia faisal mahmoud samira jamal dalia'.split(' '),
    last: 'alsaadi haddad khoury nasser mansour hamdan khalil saleh darwish abdallah aziz hussein ibrahim masri najjar awad salameh odeh qasim jaber shaheen sayegh bishara farhat hammoud zaher yassin rahal haddadin tamimi'.split(' '),
  },
  'southern-european': {
    first: 'giuseppe francesca giovanni alessandra salvatore antonella vincenzo rosaria konstantinos eleni georgios dimitra panagiotis vasiliki joao mariana goncalo ines rui catarina luca chiara matteo giulia stavros despina ioannis athanasia paolo loredana'.split(' '),
    last: 'russo esposito bianchi romano colombo ricci marino greco bruno gallo conti deluca mancini costa giordano rizzo lombardi papadopoulos georgiou nikolaidis konstantinidis vlachos oliveira pereira ferreira carvalho rodrigues teixeira moreira goncalves'.split(' '),
  },
};
