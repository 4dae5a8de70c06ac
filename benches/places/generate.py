"""Rows shaped like the ONS Postcode Directory, for the import benchmark (benches/places/run.sh):
`python3 generate.py ROWS > directory.csv`. Postcodes are made from real area letters; positions
are random over Great Britain. One row in 11 is retired (`doterm` set), one in 97 has no position
(latitude 99.999999, as the ONS writes it). Some postcodes repeat, as a second import would give."""
import random
import sys

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2_700_000
random.seed(1)
letters = "ABDEFGHJLNPQRSTUWXYZ"
areas = ("AB AL B BA BB BD BH BL BN BR BS CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT "
         "DY E EC EH EN EX FK FY G GL GU HA HD HG HP HR HU HX IG IP KA KT KW KY L LA LD LE LL LN "
         "LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL "
         "SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO").split()
out = sys.stdout
out.write("pcd,pcd2,pcds,dointr,doterm,usertype,oseast1m,osnrth1m,osgrdind,oa21,cty,ctry,rgn,lat,long\n")
n = 0
while n < rows:
    for area in areas:
        for district in range(1, 100):
            for sector in range(10):
                for unit in range(25):
                    if n >= rows:
                        sys.exit(0)
                    pc = f"{area}{district} {sector}{letters[unit % 20]}{letters[(unit * 7 + district) % 20]}"
                    doterm = "200101" if n % 11 == 0 else ""
                    lat = 99.999999 if n % 97 == 0 else round(50 + random.random() * 8, 6)
                    lon = 0.0 if lat > 90 else round(-6 + random.random() * 7.5, 6)
                    out.write(f'"{pc.replace(" ", "")}","{pc}","{pc}","198001","{doterm}","0",'
                              f'"530000","180000","1","E00000001","E99999999","E92000001","E12000007",{lat},{lon}\n')
                    n += 1
